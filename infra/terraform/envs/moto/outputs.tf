output "emulator_switches" {
  description = "What is switched off because moto does not implement it, and why (make test-platform prints it)."
  value       = local.emulator_switches
}

output "cluster_name" {
  description = "The ECS cluster the runner reads the services from."
  value       = module.platform.cluster_name
}

output "alb_dns_name" {
  description = "The load balancer whose listener rules the runner's gateway serves."
  value       = module.platform.alb_dns_name
}

output "database_bootstrap" {
  description = "Every service's database bootstrap task, as the deploy runs them."
  value       = module.platform.database_bootstrap
}

output "user_pool_id" {
  description = "The Cognito pool (moto's): the smoke test's users are made in it."
  value       = module.platform.user_pool_id
}

output "client_id" {
  description = "The app client the users sign in with."
  value       = module.platform.client_id
}

output "repository_urls" {
  description = "ECR repository URL by service (the registry's, which the platform's task definitions name): the local images are tagged <url>:<image_tag>."
  value       = module.registry.repository_urls

  precondition {
    condition     = module.registry.repository_urls == module.platform.repository_urls
    error_message = "The platform names other repositories than the registry made."
  }
}

output "alarm_topic_arn" {
  description = "The alarm topic every alarm, AWS Config and AWS Backup notify."
  value       = module.platform.alarm_topic_arn
}

output "alarm_names" {
  description = "Every CloudWatch alarm the platform made."
  value       = module.platform.alarm_names
}

output "dashboard_name" {
  description = "The environment's CloudWatch dashboard."
  value       = module.platform.dashboard_name
}

output "event_archive_arn" {
  description = "The bus's event archive."
  value       = module.platform.event_archive_arn
}

output "audit_bucket_name" {
  description = "The object-locked CloudTrail bucket."
  value       = module.platform.audit_bucket_name
}

output "event_archive_bucket" {
  description = "The S3 archive of every event (audit's EVENT_ARCHIVE_BUCKET), its lock and who uses it."
  value       = module.platform.event_archive_bucket
}

output "backup" {
  description = "The AWS Backup vault and what its plan promises."
  value       = module.platform.backup
}
