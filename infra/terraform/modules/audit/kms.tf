# One customer managed key for everything both buckets hold: CloudTrail
# encrypts its log and digest files with it, Config its deliveries, and each
# bucket's default encryption uses it for anything else. Decrypting is then
# an IAM grant on this key, separate from s3:GetObject.

data "aws_iam_policy_document" "key" {
  count = local.store_count

  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; the account root keeps administration as AWS requires.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; writes are limited to the account, to CloudTrail for this trail and to Config for this account.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is the key itself.
  statement {
    # Delegates to IAM: the people who read the logs get kms:Decrypt through
    # their IAM policies.
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_trail ? [1] : []

    content {
      # AWS's documented grant for a trail: data keys only for this trail
      # (aws:SourceArn), and only with a CloudTrail encryption context of
      # this account's trails.
      sid       = "CloudTrailEncryptsLogs"
      actions   = ["kms:GenerateDataKey*"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["cloudtrail.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceArn"
        values   = [local.trail_arn]
      }

      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:aws:cloudtrail:arn"
        values   = ["arn:${local.partition}:cloudtrail:*:${local.account_id}:trail/*"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.enable_trail ? [1] : []

    content {
      # CloudTrail checks the key at CreateTrail/UpdateTrail.
      sid       = "CloudTrailDescribesKey"
      actions   = ["kms:DescribeKey"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["cloudtrail.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceArn"
        values   = [local.trail_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = var.manage_config_recorder ? [1] : []

    content {
      # AWS's documented grant for Config with its service-linked role: the
      # SLR has no KMS rights, so Config encrypts its deliveries as the
      # config.amazonaws.com service principal, here for this account only
      # (aws:SourceAccount). The principal is the service, not the SLR's
      # ARN, so the key does not have to wait for the role (KMS refuses a
      # policy naming a role that does not exist yet).
      sid       = "ConfigEncryptsDeliveries"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["config.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_kms_key" "audit" {
  count = local.store_count

  description             = "${var.name}: audit trail (CloudTrail and AWS Config deliveries)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[0].json

  tags = merge(var.tags, { Name = "${var.name}-audit" })
}

resource "aws_kms_alias" "audit" {
  count = local.store_count

  name          = "alias/${var.name}/audit"
  target_key_id = aws_kms_key.audit[0].key_id
}
