# What the release's publish step does (scripts/deploy/web.sh: aws s3 sync
# of web/dist with --delete, then an invalidation of /index.html), as an IAM
# policy document for a role that only publishes. The deploy role, which
# also applies this Terraform, gets the same actions from
# modules/github-oidc (deploy_edge.tf), by the bucket's name and the
# distribution's environment tag: it exists before any distribution does.

data "aws_iam_policy_document" "deployer" {
  # sync compares with what is there: ListObjectsV2, never GetObject.
  statement {
    sid       = "ListTheApp"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  # Upload, and --delete of what the build no longer holds.
  statement {
    sid       = "PublishTheApp"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.bucket_arn}/*"]
  }

  # config.json is Terraform's (app_config): a publisher never writes it.
  statement {
    sid       = "NeverTheRuntimeConfig"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.bucket_arn}/${local.config_key}"]
  }

  statement {
    sid       = "InvalidateTheApp"
    actions   = ["cloudfront:CreateInvalidation"]
    resources = [aws_cloudfront_distribution.this.arn]
  }
}
