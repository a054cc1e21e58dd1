output "topic_arn" {
  description = "The alarms SNS topic (<name>-alarms): every alarm here notifies it; Budgets, AWS Backup and EventBridge rules (e.g. AWS Config compliance changes) of this account may publish to it."
  value       = aws_sns_topic.alarms.arn
}

output "topic_kms_key_arn" {
  description = "The KMS key encrypting the topic. A principal publishing through IAM (not one of the AWS services the key policy names) needs kms:GenerateDataKey* and kms:Decrypt on it."
  value       = aws_kms_key.topic.arn
}

output "alarm_names" {
  description = "Every CloudWatch alarm this module makes, sorted by name."
  value       = sort([for alarm in local.alarms : alarm.alarm_name])
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the environment (<name>)."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "query_definition_names" {
  description = "The saved Logs Insights queries (<name>/<query>), sorted."
  value       = sort([for query in aws_cloudwatch_query_definition.this : query.name])
}

output "budget_name" {
  description = "The monthly cost budget's name (<name>-monthly); null without monthly_budget_usd."
  value       = one(aws_budgets_budget.monthly[*].name)
}
