# What the trail's bucket and Config's bucket share: the TLS-only statement
# of their policies. Their hardening (private, ACL-less, versioned, SSE-KMS
# with the audit key, server access logs where asked) is spelled out beside
# each bucket, resource by resource, so that checkov and trivy, which do not
# follow a for_each from an environment, see it on each.

locals {
  # The buckets made here by role (each exists only with its service). ARNs
  # are built, not read, so each policy is known at plan.
  hardened_buckets = merge(
    { for bucket in aws_s3_bucket.trail : "trail" => { id = bucket.id, name = local.trail_bucket_name, arn = local.trail_bucket_arn } },
    { for bucket in aws_s3_bucket.config : "config" => { id = bucket.id, name = local.config_bucket_name, arn = local.config_bucket_arn } },
  )
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
