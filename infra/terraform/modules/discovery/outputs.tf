output "namespace_id" {
  description = "The Cloud Map namespace's ID."
  value       = aws_service_discovery_private_dns_namespace.this.id
}

output "namespace_arn" {
  description = "The Cloud Map namespace's ARN."
  value       = aws_service_discovery_private_dns_namespace.this.arn
}

output "namespace_name" {
  description = "The namespace's DNS name (e.g. \"bazaar.internal\")."
  value       = aws_service_discovery_private_dns_namespace.this.name
}

output "namespace_hosted_zone_id" {
  description = "The Route 53 private hosted zone behind the namespace."
  value       = aws_service_discovery_private_dns_namespace.this.hosted_zone
}

output "service_arns" {
  description = "Cloud Map service ARN by catalog service: aws_ecs_service.service_registries.registry_arn."
  value       = { for service, discovery in aws_service_discovery_service.this : service => discovery.arn }
}

output "service_ids" {
  description = "Cloud Map service ID by catalog service."
  value       = { for service, discovery in aws_service_discovery_service.this : service => discovery.id }
}

output "service_dns_names" {
  description = "The DNS name each catalog service resolves as (\"<service>.<namespace>\"): the host part of its internal base URL."
  value       = { for service in keys(aws_service_discovery_service.this) : service => "${service}.${var.namespace}" }
}
