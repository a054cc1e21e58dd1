output "region" {
  description = "The region the environment is in (checked against the provider's)."
  value       = data.aws_region.current.name

  precondition {
    condition     = data.aws_region.current.name == var.region
    error_message = "The AWS provider is configured for another region than var.region."
  }
}

output "alb_dns_name" {
  description = "DNS name of the public load balancer (the target of the API's alias record)."
  value       = module.alb.alb_dns_name
}

output "api_url" {
  description = "https://<api_domain_name> when the platform keeps its record; null otherwise."
  value       = var.api_domain_name == null ? null : "https://${var.api_domain_name}"
}

output "alb_zone_id" {
  description = "Route 53 zone ID of the load balancer, for an alias record."
  value       = module.alb.alb_zone_id
}

output "repository_urls" {
  description = "ECR repository URL by service (the environment's registry, infra/terraform/registry): the release pushes or promotes <url>:<tag> there and passes the tag in image_tags."
  value       = local.repository_urls
}

output "cluster_name" {
  description = "The ECS cluster's name."
  value       = module.cluster.cluster_name
}

output "service_names" {
  description = "ECS service name (<resource_prefix>-<service>) by catalog service."
  value       = { for svc, service in module.service : svc => service.service_name }
}

output "user_pool_id" {
  description = "The Cognito user pool's ID."
  value       = module.identity.user_pool_id
}

output "client_id" {
  description = "The app client's ID (the first of the services' AUTH_CLIENT_IDS; the browser's client is browser_client_id)."
  value       = module.identity.client_id
}

output "issuer" {
  description = "The tokens' issuer (the services' AUTH_ISSUER)."
  value       = module.identity.issuer
}

output "database_endpoint" {
  description = "The Aurora writer endpoint (the host of every DATABASE_URL)."
  value       = module.database.endpoint
}

output "database_master_user_secret_arn" {
  description = "The RDS-managed master password secret: read by the database bootstrap job only."
  value       = module.database.master_user_secret_arn
}

output "database_url_secret_names" {
  description = "Each service's DATABASE_URL secret name (<name>/<service>/database-url), which the database bootstrap job fills."
  value       = module.database.service_secret_names
}

output "bus_name" {
  description = "The EventBridge bus (= resource_prefix)."
  value       = module.messaging.bus_name
}

output "queue_urls" {
  description = "Queue URL by consuming service."
  value       = module.messaging.queue_urls

  precondition {
    condition     = module.messaging.queue_arns == local.queue_arns && module.messaging.dlq_arns == local.dlq_arns
    error_message = "The queue/DLQ ARNs given to the services differ from the queues module.messaging created."
  }
}

output "namespace" {
  description = "The private DNS namespace: service <svc> resolves as <svc>.<namespace>."
  value       = module.discovery.namespace_name
}

output "service_inputs" {
  description = "What each service instance was given: image, environment, DATABASE_URL secret, target group, Cloud Map service, queue and DLQ ARNs (null for a service that consumes nothing), its point-to-point routes and its task role's further policies (the event archive's, by event_archive_bucket_access)."
  value       = local.service_inputs
}

output "services" {
  description = "The catalog's services (modules/catalog) as the environment was built from them: min_tasks raised to min_tasks_per_service."
  value       = local.services
}

output "database_bootstrap" {
  description = "What runs every service's database bootstrap task (python -m bazaar_delivery database-bootstrap, make deploy-database): the cluster, the private subnets and, per service, its task definition family, its security group (allowed into the database) and its ECS service."
  value = {
    cluster    = module.cluster.cluster_name
    subnet_ids = module.network.private_subnet_ids
    tasks = {
      for svc, service in module.service : svc => {
        task_definition    = service.database_task_definition_family
        security_group_ids = [service.security_group_id]
        service_name       = service.service_name
      }
    }
  }
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm, AWS Config non-compliance, AWS Backup failure and the budget notify."
  value       = module.observability.topic_arn
}

output "alarm_names" {
  description = "Every CloudWatch alarm of the environment (docs/runbook.md, Alarms, says what to do for each)."
  value       = module.observability.alarm_names
}

output "dashboard_name" {
  description = "The environment's CloudWatch dashboard."
  value       = module.observability.dashboard_name
}

output "event_archive_arn" {
  description = "The bus's event archive, for `aws events start-replay` after a restore; null without one."
  value       = module.messaging.archive_arn
}

output "event_archive_bucket" {
  description = "The S3 archive of every event (the services' EVENT_ARCHIVE_BUCKET): its name, ARN and key (an operator's replay needs s3:GetObject, s3:ListBucket and kms:Decrypt on them, as in reader_policy_json), its lock, who writes and who reads it, what each of them is given in its environment (EVENT_ARCHIVE_BUCKET, merged into service_inputs), and the reader policy for an operator's role."
  value = {
    name               = module.event_archive.bucket_name
    arn                = module.event_archive.bucket_arn
    kms_key_arn        = module.event_archive.kms_key_arn
    prefix             = module.event_archive.prefix
    lock_mode          = var.event_archive_bucket_lock_mode
    lock_days          = var.event_archive_bucket_lock_days
    access             = var.event_archive_bucket_access
    environment        = local.event_archive_environment
    reader_policy_json = module.event_archive.reader_policy_json
  }
}

output "audit_bucket_name" {
  description = "The object-locked bucket of the account's CloudTrail logs; null where another environment keeps the account's audit (manage_account_audit)."
  value       = one(module.audit[*].bucket_name)
}

output "backup" {
  description = "The AWS Backup vault and what the plan promises (recovery_point_objective); null without aws_backup."
  value = var.aws_backup == null ? null : {
    vault_name               = module.backup[0].vault_name
    recovery_point_objective = module.backup[0].recovery_point_objective
  }
}

output "web_url" {
  description = "The browser app's URL (its first alias, or https://<id>.cloudfront.net), the API under the same origin; null without enable_web."
  value       = one(module.web[*].url)
}

output "web_bucket" {
  description = "The bucket the release syncs web/dist to (make web-publish); null without enable_web."
  value       = one(module.web[*].bucket_name)
}

output "web_distribution_id" {
  description = "The CloudFront distribution the release invalidates /index.html in; null without enable_web."
  value       = one(module.web[*].distribution_id)
}

output "web_distribution_domain_name" {
  description = "The distribution's <id>.cloudfront.net: the target of web_aliases' alias records; null without enable_web."
  value       = one(module.web[*].distribution_domain_name)
}

output "browser_client_id" {
  description = "The browser app's Cognito client (hosted UI, code flow with PKCE), in the app's config.json and the services' AUTH_CLIENT_IDS; null without enable_web."
  value       = one(aws_cognito_user_pool_client.browser[*].id)
}

output "web_deployer_policy_json" {
  description = "IAM policy of a role that only publishes the app (list, put, delete but config.json, invalidate); null without enable_web. The deploy role has the same from modules/github-oidc."
  value       = one(module.web[*].deployer_policy_json)
}
