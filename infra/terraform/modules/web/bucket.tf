# The app's bucket and everything that hardens it, resource by resource, so
# that checkov and trivy see each piece on it. Private: only the
# distribution reads it (Origin Access Control, the bucket policy's
# AWS:SourceArn), only the release writes it (deployer_policy_json).

# Server access logs would need a bucket of their own; every object here
# is public through CloudFront anyway, and CloudTrail records every
# management call on the bucket.
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Its objects are the public app, served to every browser through CloudFront; CloudTrail records every management call on the bucket.
  #checkov:skip=CKV_AWS_144:The app is rebuilt from git and republished by any release; a replica in a second region would hold nothing that cannot be made again.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new objects: the release invalidates the distribution itself.
  #checkov:skip=CKV_AWS_145:SSE-S3: the objects are the public app; a customer managed key would protect nothing secret and need a key policy for CloudFront and a KMS call per cache miss.
  bucket        = local.bucket_name
  force_destroy = var.force_destroy

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

# A file a release overwrote or deleted stays a noncurrent version for
# noncurrent_version_expiration_days: an operator can put it back.
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3, not a customer managed key: the objects are the public app (see
# the bucket's checkov skip), and Origin Access Control reads SSE-S3
# objects with no key policy to keep.
#trivy:ignore:AVD-AWS-0132
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

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
  # The distribution, and no other: CloudFront signs its requests as the
  # service (Origin Access Control), and AWS:SourceArn names which
  # distribution sent them, so another account's distribution pointed at
  # this bucket reads nothing. GetObject only: a missing file is a 403.
  statement {
    sid       = "DistributionReadsTheApp"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }

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
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # A bucket policy put before the public access block could be judged public.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
