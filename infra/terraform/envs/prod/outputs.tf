output "alb_dns_name" {
  description = "The load balancer's DNS name: the target of the API hostname's alias record."
  value       = module.platform.alb_dns_name
}

output "api_url" {
  description = "https://<api_domain_name> when the platform keeps its record (null otherwise)."
  value       = module.platform.api_url
}

output "repository_urls" {
  description = "ECR repository URL by service: CI pushes <url>:<git sha>."
  value       = module.platform.repository_urls
}

output "cluster_name" {
  description = "The ECS cluster."
  value       = module.platform.cluster_name
}

output "service_names" {
  description = "ECS service name by catalog service."
  value       = module.platform.service_names
}

output "image_tags" {
  description = "The image tag of every service now deployed (service => tag): deploy.yml reads it before an apply to know what to roll back to."
  value       = var.image_tags
}

output "user_pool_id" {
  description = "The Cognito user pool."
  value       = module.platform.user_pool_id
}

output "client_id" {
  description = "The app client (AUTH_CLIENT_IDS)."
  value       = module.platform.client_id
}

output "issuer" {
  description = "The token issuer (AUTH_ISSUER)."
  value       = module.platform.issuer
}

output "database_endpoint" {
  description = "The Aurora writer endpoint."
  value       = module.platform.database_endpoint
}

output "database_master_user_secret_arn" {
  description = "The master password secret, read only by the database bootstrap tasks."
  value       = module.platform.database_master_user_secret_arn
}

output "database_url_secret_names" {
  description = "Each service's DATABASE_URL secret, filled by its database bootstrap task."
  value       = module.platform.database_url_secret_names
}

output "bus_name" {
  description = "The EventBridge bus."
  value       = module.platform.bus_name
}

output "queue_urls" {
  description = "Queue URL by consuming service."
  value       = module.platform.queue_urls
}

output "database_bootstrap" {
  description = "Every service's database bootstrap task and where to run it: make deploy-database runs them after each apply."
  value       = module.platform.database_bootstrap
}

output "event_archive_bucket" {
  description = "The S3 archive of every event (audit's EVENT_ARCHIVE_BUCKET): name, ARN, key, lock, who writes and reads it, and the reader policy an operator's replay role needs."
  value       = module.platform.event_archive_bucket
}

output "web_url" {
  description = "The browser app (the API under the same origin): what a release publishes to."
  value       = module.platform.web_url
}

output "web_bucket" {
  description = "The bucket make web-publish syncs web/dist to."
  value       = module.platform.web_bucket
}

output "web_distribution_id" {
  description = "The CloudFront distribution make web-publish invalidates /index.html in."
  value       = module.platform.web_distribution_id
}

output "web_distribution_domain_name" {
  description = "<id>.cloudfront.net: where web_aliases' records point."
  value       = module.platform.web_distribution_domain_name
}

output "browser_client_id" {
  description = "The browser app's Cognito client (in its config.json, and among AUTH_CLIENT_IDS)."
  value       = module.platform.browser_client_id
}
