# One log group for the task: the app's JSON lines and the collector's own
# logs, each under its container's stream prefix.
resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:KMS is the log_kms_key_arn input (the environment's logs key); null keeps CloudWatch Logs' own encryption at rest.
  name              = "/ecs/${var.name}/${var.service.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}
