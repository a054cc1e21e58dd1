# The ALB's access log bucket. ALB log delivery writes only to buckets
# encrypted with SSE-S3 (not SSE-KMS), so this is the one bucket without a CMK.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# Regions opened before August 2022 deliver as a regional ELB account; newer
# ones as the logdelivery service principal. The policy grants both, so the
# bucket works in either kind of region.
data "aws_elb_service_account" "current" {}

locals {
  access_logs_bucket = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  access_logs_prefix = "arn:${data.aws_partition.current.partition}:s3:::${local.access_logs_bucket}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
}

# This is the log bucket; access logs of it would need yet another bucket.
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_145:ALB access log delivery supports only SSE-S3, not SSE-KMS.
  #checkov:skip=CKV_AWS_18:This is the log bucket; server access logs of it would need yet another bucket.
  #checkov:skip=CKV_AWS_144:Access logs are operational data kept 90 days; cross-region replication is not worth its cost here.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events of new log objects.
  bucket        = local.access_logs_bucket
  force_destroy = var.access_logs_force_destroy

  tags = merge(var.tags, { Name = local.access_logs_bucket })
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

# ALB access log delivery supports only SSE-S3, not SSE-KMS.
#trivy:ignore:AVD-AWS-0132
resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.access_logs.arn,
      "${aws_s3_bucket.access_logs.arn}/*",
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

  statement {
    sid       = "ElbAccountLogDelivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_prefix]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "ElbServiceLogDelivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = [local.access_logs_prefix]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json

  # A bucket policy put before the public access block could be judged public.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
