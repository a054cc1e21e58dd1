# What the trail's bucket and Config's bucket share: private, ACL-less,
# versioned, SSE-KMS with the audit key, TLS only, server access logs where
# asked. Each bucket's own file adds what differs: the trail's object lock,
# each lifecycle, and the service statements of each bucket policy.

locals {
  # The buckets made here by role (each exists only with its service). ARNs
  # are built, not read, so each policy is known at plan.
  hardened_buckets = merge(
    { for bucket in aws_s3_bucket.trail : "trail" => { id = bucket.id, name = local.trail_bucket_name, arn = local.trail_bucket_arn } },
    { for bucket in aws_s3_bucket.config : "config" => { id = bucket.id, name = local.config_bucket_name, arn = local.config_bucket_arn } },
  )
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.hardened_buckets

  bucket = each.value.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.hardened_buckets

  bucket = each.value.id

  # ACLs off: CloudTrail and Config still send bucket-owner-full-control,
  # which an ACL-less bucket accepts.
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.hardened_buckets

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.hardened_buckets

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.audit[0].arn
    }
    # One data key per bucket and period instead of a KMS call per object.
    bucket_key_enabled = true
  }
}

# Server access logs need a bucket of their own, which this module does not
# make: CloudTrail already records every management call on these buckets.
resource "aws_s3_bucket_logging" "this" {
  for_each = var.access_logs_bucket == null ? {} : local.hardened_buckets

  bucket        = each.value.id
  target_bucket = var.access_logs_bucket
  target_prefix = "s3/${each.value.name}/"
}

# The first statement of each bucket policy (the bucket's file adds its
# service's statements to it).
data "aws_iam_policy_document" "tls_only" {
  for_each = local.hardened_buckets

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      each.value.arn,
      "${each.value.arn}/*",
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
}
