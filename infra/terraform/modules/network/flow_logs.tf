# Every accepted and rejected flow goes to an encrypted CloudWatch log group,
# for incident response and to prove what talked to what.

locals {
  create_flow_log_kms_key = var.flow_log_kms_key_arn == null
  flow_log_kms_key_arn    = local.create_flow_log_kms_key ? aws_kms_key.flow_log[0].arn : var.flow_log_kms_key_arn
  flow_log_group_name     = "/aws/vpc-flow-log/${var.name}"
  flow_log_group_arn      = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.flow_log_group_name}"
}

resource "aws_kms_key" "flow_log" {
  count = local.create_flow_log_kms_key ? 1 : 0

  description             = "${var.name}: VPC flow log group"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days

  # The account administers the key through IAM; CloudWatch Logs may use it
  # for this log group only (the encryption context names the group).
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheFlowLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.flow_log_group_arn }
        }
      },
    ]
  })

  tags = merge(var.tags, { Name = "${var.name}-vpc-flow-log" })
}

resource "aws_kms_alias" "flow_log" {
  count = local.create_flow_log_kms_key ? 1 : 0

  name          = "alias/${var.name}/vpc-flow-log"
  target_key_id = aws_kms_key.flow_log[0].key_id
}

resource "aws_cloudwatch_log_group" "flow_log" {
  name              = local.flow_log_group_name
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = local.flow_log_kms_key_arn

  tags = merge(var.tags, { Name = "${var.name}-vpc-flow-log" })
}

resource "aws_iam_role" "flow_log" {
  name        = "${var.name}-vpc-flow-log"
  description = "Lets VPC Flow Logs write the flow log group of ${var.name}"

  # The environment's workload boundary: the deploy role may create roles
  # only with it, and it caps what this role could ever be given.
  permissions_boundary = var.permissions_boundary_arn

  # The confused-deputy guard: only this account's flow logs may assume it.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc-flow-log/*" }
      }
    }]
  })

  tags = merge(var.tags, { Name = "${var.name}-vpc-flow-log" })
}

resource "aws_iam_role_policy" "flow_log" {
  name = "write-flow-log-group"
  role = aws_iam_role.flow_log.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
      ]
      Resource = [
        aws_cloudwatch_log_group.flow_log.arn,
        "${aws_cloudwatch_log_group.flow_log.arn}:*",
      ]
    }]
  })
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_log_traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_log.arn
  iam_role_arn             = aws_iam_role.flow_log.arn
  max_aggregation_interval = 60

  tags = merge(var.tags, { Name = "${var.name}-vpc" })
}
