output "bucket_name" {
  description = "The trail's object-locked bucket (CloudTrail under cloudtrail/); null when enable_trail is false."
  value       = one(aws_s3_bucket.trail[*].id)
}

output "bucket_arn" {
  description = "ARN of the trail's bucket; null when enable_trail is false."
  value       = one(aws_s3_bucket.trail[*].arn)
}

output "config_bucket_name" {
  description = "AWS Config's bucket (snapshots and history under AWSLogs/<account id>/Config/); null when manage_config_recorder is false."
  value       = one(aws_s3_bucket.config[*].id)
}

output "config_bucket_arn" {
  description = "ARN of AWS Config's bucket; null when manage_config_recorder is false."
  value       = one(aws_s3_bucket.config[*].arn)
}

output "kms_key_arn" {
  description = "The KMS key encrypting everything in both buckets: readers of the logs and of Config's history need kms:Decrypt on it; null when neither the trail nor the recorder is made here."
  value       = one(aws_kms_key.audit[*].arn)
}

output "trail_arn" {
  description = "ARN of the multi-region trail; null when enable_trail is false."
  value       = one(aws_cloudtrail.this[*].arn)
}

output "config_recorder_name" {
  description = "Name of the AWS Config recorder; null when manage_config_recorder is false."
  value       = one(aws_config_configuration_recorder.this[*].name)
}

output "config_role_arn" {
  description = "ARN of AWS Config's service-linked role (AWSServiceRoleForConfig), which the recorder records with, whether made here or already there; null when manage_config_recorder is false."
  value       = var.manage_config_recorder ? local.config_role_arn : null
}

output "config_rule_names" {
  description = "Config rule name by AWS's rule name (e.g. \"s3-bucket-ssl-requests-only\" => \"<name>-s3-bucket-ssl-requests-only\")."
  value       = { for key, rule in aws_config_config_rule.managed : key => rule.name }
}

output "config_rule_arns" {
  description = "Config rule ARN by AWS's rule name."
  value       = { for key, rule in aws_config_config_rule.managed : key => rule.arn }
}

output "noncompliance_event_rule_arn" {
  description = "ARN of the EventBridge rule (default bus) that sends NON_COMPLIANT evaluations to alarm_topic_arn."
  value       = aws_cloudwatch_event_rule.noncompliant.arn
}
