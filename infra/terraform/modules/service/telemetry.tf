# What the collector sidecar exports, and where: traces to X-Ray, the
# services' own metrics (bazaar_common.observability.metrics) as EMF lines
# into a log group of this service, which CloudWatch turns into metrics in
# metrics_namespace.

locals {
  metrics_namespace     = coalesce(var.metrics_namespace, "Bazaar/${var.name}")
  metrics_log_group     = "/ecs/${var.name}/${var.service.name}/metrics"
  metrics_log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.metrics_log_group}"

  adot_config = templatefile("${path.module}/adot-config.yaml.tftpl", {
    namespace      = local.metrics_namespace
    log_group_name = aws_cloudwatch_log_group.metrics.name
  })
}

# Made here, not by the exporter on first use: its retention and key are
# the environment's, and the task role needs no logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "metrics" {
  #checkov:skip=CKV_AWS_158:KMS is the log_kms_key_arn input (the environment's logs key); null keeps CloudWatch Logs' own encryption at rest.
  name              = local.metrics_log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}
