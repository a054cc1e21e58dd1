# AWS Config's bucket: snapshots and history under AWSLogs/<account id>/Config/.
# Not the trail's bucket, and without object lock, because AWS Config does
# not support delivering to a bucket with object lock and a default
# retention. Its policy's TLS-only statement is bucket_hardening.tf's.

# Server access logs only with access_logs_bucket (the platform gives none:
# CloudTrail records every management call on the audit buckets).
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "config" {
  count = local.recorder_count

  #checkov:skip=CKV_AWS_18:Server access logs go to access_logs_bucket when one is given (bucket_hardening.tf); the platform gives none: a third bucket for logs of the logs, while CloudTrail records every management call on these buckets.
  #checkov:skip=CKV_AWS_143:AWS Config does not support delivery to a bucket with object lock and a default retention; versioning keeps overwritten or deleted deliveries for retention_days instead.
  #checkov:skip=CKV_AWS_144:One account and region per environment; cross-region replication of Config's history is not worth its cost here.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events of new Config deliveries; non-compliance reaches the alarm topic through EventBridge.
  bucket        = local.config_bucket_name
  force_destroy = var.force_destroy

  # Said, not left to the provider's default: Config's deliveries would
  # fail in a bucket with object lock.
  object_lock_enabled = false

  tags = merge(var.tags, { Name = local.config_bucket_name })
}

# Private, ACL-less (CloudTrail and Config still send
# bucket-owner-full-control, which an ACL-less bucket accepts), versioned,
# SSE-KMS with the audit key (one data key per period, not a KMS call per
# object), server access logs where a bucket for them is given.
resource "aws_s3_bucket_public_access_block" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.audit[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "config" {
  count = var.access_logs_bucket == null ? 0 : local.recorder_count

  bucket        = aws_s3_bucket.config[0].id
  target_bucket = var.access_logs_bucket
  target_prefix = "s3/${local.config_bucket_name}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id

  rule {
    id     = "expire-after-retention"
    status = "Enabled"

    filter {}

    expiration {
      days = var.retention_days
    }

    # No lock here: a delivery someone overwrote or deleted survives as a
    # noncurrent version, kept retention_days like the record itself.
    noncurrent_version_expiration {
      noncurrent_days = var.retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.config]
}

# AWS Config's documented statements, after the TLS-only one. Its
# service-linked role (config.tf) has no S3 rights, so Config checks the
# bucket and delivers as the config.amazonaws.com service principal: these
# admit it, for this account only (aws:SourceAccount).
data "aws_iam_policy_document" "config_bucket" {
  count = local.recorder_count

  source_policy_documents = [data.aws_iam_policy_document.tls_only["config"].json]

  statement {
    sid       = "ConfigBucketPermissionsCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.config_bucket_arn]

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

  statement {
    sid       = "ConfigBucketExistenceCheck"
    actions   = ["s3:ListBucket"]
    resources = [local.config_bucket_arn]

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

  statement {
    sid       = "ConfigBucketDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.config_bucket_arn}/AWSLogs/${local.account_id}/Config/*"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "config" {
  count = local.recorder_count

  bucket = aws_s3_bucket.config[0].id
  policy = data.aws_iam_policy_document.config_bucket[0].json

  # A bucket policy put before the public access block could be judged public.
  depends_on = [aws_s3_bucket_public_access_block.config]
}
