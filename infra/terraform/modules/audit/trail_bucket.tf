# The trail's bucket, CloudTrail's alone, under cloudtrail/. Write-once:
# object-locked for retention_days, then expired. Its policy's TLS-only
# statement is bucket_hardening.tf's.

# Server access logs only with access_logs_bucket (the platform gives none:
# CloudTrail records every management call on the audit buckets).
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "trail" {
  count = local.trail_count

  #checkov:skip=CKV_AWS_18:Server access logs go to access_logs_bucket when one is given (bucket_hardening.tf); the platform gives none: a third bucket for logs of the logs, while CloudTrail records every management call on these buckets.
  #checkov:skip=CKV_AWS_144:One account and region per environment; cross-region replication of the audit trail is not worth its cost here (the trail itself is multi-region).
  #checkov:skip=CKV2_AWS_62:Nothing consumes events of new audit objects; non-compliance reaches the alarm topic through EventBridge.
  bucket        = local.trail_bucket_name
  force_destroy = var.force_destroy

  # Object lock can only be switched on when a bucket is created (changing
  # it replaces the bucket), and it turns versioning on for good.
  object_lock_enabled = var.object_lock_enabled

  tags = merge(var.tags, { Name = local.trail_bucket_name })
}

# Private, ACL-less (CloudTrail and Config still send
# bucket-owner-full-control, which an ACL-less bucket accepts), versioned,
# SSE-KMS with the audit key (one data key per period, not a KMS call per
# object), server access logs where a bucket for them is given.
resource "aws_s3_bucket_public_access_block" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.audit[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "trail" {
  count = var.access_logs_bucket == null ? 0 : local.trail_count

  bucket        = aws_s3_bucket.trail[0].id
  target_bucket = var.access_logs_bucket
  target_prefix = "s3/${local.trail_bucket_name}/"
}

# COMPLIANCE by default: the point of an audit trail is that whoever took
# over the account, root included, cannot delete the record of it. Under
# GOVERNANCE anyone with s3:BypassGovernanceRetention (every administrator)
# can. The price is that nothing removes an object before retention_days,
# not even force_destroy: keep retention_days short where the environment is
# disposable, or choose GOVERNANCE there.
resource "aws_s3_bucket_object_lock_configuration" "trail" {
  count = var.object_lock_enabled ? local.trail_count : 0

  bucket = aws_s3_bucket.trail[0].id

  rule {
    default_retention {
      mode = var.object_lock_mode
      days = var.retention_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.trail]
}

resource "aws_s3_bucket_lifecycle_configuration" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id

  rule {
    id     = "expire-after-retention"
    status = "Enabled"

    filter {}

    # The current version gets a delete marker when its lock runs out; the
    # version itself goes a day later. S3 never deletes a locked version, so
    # the lifecycle cannot cut the retention short.
    expiration {
      days = var.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.trail]
}

# CloudTrail's documented statements, each limited to this trail, after the
# TLS-only one.
data "aws_iam_policy_document" "trail_bucket" {
  count = local.trail_count

  source_policy_documents = [data.aws_iam_policy_document.tls_only["trail"].json]

  statement {
    sid       = "CloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.trail_bucket_arn]

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

  statement {
    sid       = "CloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${local.trail_bucket_arn}/${local.trail_prefix}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  count = local.trail_count

  bucket = aws_s3_bucket.trail[0].id
  policy = data.aws_iam_policy_document.trail_bucket[0].json

  # A bucket policy put before the public access block could be judged public.
  depends_on = [aws_s3_bucket_public_access_block.trail]
}
