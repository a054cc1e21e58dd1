# The bucket and everything that hardens it, resource by resource, so that
# checkov and trivy see each piece on it.

# Server access logs only with access_logs_bucket (the platform gives none:
# CloudTrail records every management call on the bucket).
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Server access logs go to access_logs_bucket when one is given (aws_s3_bucket_logging below); the platform gives none, as for the audit buckets.
  #checkov:skip=CKV_AWS_144:One region per environment; cross-region replication of the archive is a later decision (docs/deploy.md), not a default.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new archive objects: readers list the prefix when they rebuild.
  bucket        = local.bucket_name
  force_destroy = var.force_destroy

  # Object lock can only be switched on when a bucket is created (changing
  # it replaces the bucket, and S3 refuses to delete a bucket that still
  # holds locked versions), and it turns versioning on for good.
  object_lock_enabled = var.object_lock_enabled

  tags = merge(var.tags, { Name = local.bucket_name })
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-KMS with the archive's key; the bucket key makes it one KMS call per
# bucket-key period, not one per object.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logs_bucket == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logs_bucket
  target_prefix = "s3/${local.bucket_name}/"
}

# Every new object version is locked for lock_days in lock_mode. COMPLIANCE:
# no one, the account root included, can delete a version or shorten its
# lock until then. GOVERNANCE: principals with s3:BypassGovernanceRetention
# can (a disposable environment's destroy).
resource "aws_s3_bucket_object_lock_configuration" "this" {
  count = var.object_lock_enabled ? 1 : 0

  bucket = aws_s3_bucket.this.id

  rule {
    default_retention {
      mode = var.lock_mode
      days = var.lock_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# Nothing expires: the archive is the history read models are rebuilt from.
# Older batches move to cheaper classes that still answer GetObject at once
# (STANDARD_IA, then GLACIER_IR; never GLACIER or DEEP_ARCHIVE, which need a
# restore first). A version someone deleted (possible once its lock ends)
# is kept noncurrent_version_expiration_days, then goes.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "tier-events"
    status = "Enabled"

    filter {
      prefix = local.prefix
    }

    transition {
      days          = var.transition_to_standard_ia_days
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.transition_to_glacier_ir_days
      storage_class = "GLACIER_IR"
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "remove-expired-delete-markers"
    status = "Enabled"

    filter {}

    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      local.bucket_arn,
      "${local.bucket_arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # The default encryption covers a PutObject that names none; these refuse
  # one that names another (SSE-S3, DSSE, another key), so every object is
  # SSE-KMS with the archive's key. A writer need not send the headers.
  statement {
    sid       = "DenyOtherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyOtherKmsKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [local.kms_key_arn]
    }
  }

  # Object lock keeps every version, but a DeleteObject without a version
  # still puts a delete marker on top, and readers, who list current
  # versions, would silently rebuild without that batch. Removing a version
  # (s3:DeleteObjectVersion, once its lock allows) stays possible.
  statement {
    sid       = "DenyDeleteMarkers"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = var.enable_bucket_policy ? 1 : 0

  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # A bucket policy put before the public access block could be judged public.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
