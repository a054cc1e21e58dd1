output "bus_name" {
  description = "The EventBridge bus name (the services' RESOURCE_PREFIX)."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "The bus ARN: what a publishing task role may events:PutEvents to."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "queue_arns" {
  description = "Each consuming service's queue ARN, by service name."
  value       = { for service, queue in aws_sqs_queue.this : service => queue.arn }
}

output "queue_urls" {
  description = "Each consuming service's queue URL, by service name."
  value       = { for service, queue in aws_sqs_queue.this : service => queue.id }
}

output "dlq_arns" {
  description = "Each consuming service's DLQ ARN, by service name."
  value       = { for service, queue in aws_sqs_queue.dlq : service => queue.arn }
}

output "rule_arns" {
  description = "Each consuming service's EventBridge rule ARN, by service name."
  value       = { for service, rule in aws_cloudwatch_event_rule.this : service => rule.arn }
}

output "archive_arn" {
  description = "The bus's event archive (the EventSourceArn of `aws events start-replay`); null without one."
  value       = one(aws_cloudwatch_event_archive.this[*].arn)
}
