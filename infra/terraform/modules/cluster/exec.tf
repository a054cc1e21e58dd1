# ECS Exec is a shell into production containers: what is typed and printed
# there is kept, encrypted, for audit.

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  create_kms_key = var.kms_key_arn == null
  kms_key_arn    = local.create_kms_key ? aws_kms_key.exec[0].arn : var.kms_key_arn

  exec_log_group_name = "/aws/ecs/${var.name}/exec"
  exec_log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.exec_log_group_name}"
}

resource "aws_kms_key" "exec" {
  count = local.create_kms_key ? 1 : 0

  description             = "${var.name}: ECS Exec sessions and their log group"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days

  # The account administers the key through IAM (task roles get kms:Decrypt
  # for sessions that way); CloudWatch Logs may use it for the exec log group only.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheExecLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.exec_log_group_arn }
        }
      },
    ]
  })

  tags = merge(var.tags, { Name = "${var.name}-ecs-exec" })
}

resource "aws_kms_alias" "exec" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}/ecs-exec"
  target_key_id = aws_kms_key.exec[0].key_id
}

resource "aws_cloudwatch_log_group" "exec" {
  name              = local.exec_log_group_name
  retention_in_days = var.exec_log_retention_days
  kms_key_id        = local.kms_key_arn

  tags = merge(var.tags, { Name = "${var.name}-ecs-exec" })
}
