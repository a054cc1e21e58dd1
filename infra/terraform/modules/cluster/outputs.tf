output "cluster_arn" {
  description = "The ECS cluster's ARN (aws_ecs_service.cluster)."
  value       = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  description = "The ECS cluster's name (for autoscaling resource IDs: service/<cluster_name>/<service>)."
  value       = aws_ecs_cluster.this.name
}

output "cluster_id" {
  description = "The ECS cluster's ID (the same value as its ARN)."
  value       = aws_ecs_cluster.this.id
}

output "capacity_providers" {
  description = "The capacity providers available to services in the cluster."
  value       = aws_ecs_cluster_capacity_providers.this.capacity_providers
}

output "exec_kms_key_arn" {
  description = "The KMS key of ECS Exec sessions and their log group: task roles need kms:Decrypt on it to accept exec sessions."
  value       = local.kms_key_arn
}

output "exec_log_group_name" {
  description = "The CloudWatch log group recording ECS Exec sessions: task roles need logs:CreateLogStream, logs:PutLogEvents and logs:DescribeLogGroups for it."
  value       = aws_cloudwatch_log_group.exec.name
}

output "exec_log_group_arn" {
  description = "The ARN of the ECS Exec session log group (for task role policies)."
  value       = aws_cloudwatch_log_group.exec.arn
}
