output "service_name" {
  description = "The ECS service's name (<name>-<service>)."
  value       = local.ecs_service.name
}

output "service_arn" {
  description = "The ECS service's ARN."
  value       = local.ecs_service.id
}

output "task_definition_arn" {
  description = "The task definition revision the service runs."
  value       = aws_ecs_task_definition.this.arn
}

output "task_role_arn" {
  description = "The task role (the app's and the collector's AWS permissions): for key and queue policies that name their principals."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "The task execution role (image pull, logs, secrets): for secret and key policies that name their principals."
  value       = aws_iam_role.execution.arn
}

output "security_group_id" {
  description = "The tasks' security group: reference it in the database's ingress and in service-to-service rules."
  value       = aws_security_group.this.id
}

output "log_group_name" {
  description = "The task's CloudWatch log group (streams app/... and adot/...)."
  value       = aws_cloudwatch_log_group.this.name
}

output "database_task_definition_family" {
  description = "The family of the one-off database bootstrap task (<name>-<service>-database): run it after an apply, in the private subnets with security_group_id; it exits 0 once the database, its roles and both DATABASE_URL secrets are ready."
  value       = aws_ecs_task_definition.bootstrap.family
}

output "metrics_namespace" {
  description = "The CloudWatch namespace the collector exports the service's own metrics to (the alarms' and dashboard's)."
  value       = local.metrics_namespace
}
