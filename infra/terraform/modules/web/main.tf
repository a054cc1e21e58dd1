# The browser app's hosting: its built files (web/dist: index.html,
# assets/*.js|css named by content hash, and config.json) in a private S3
# bucket, served by one CloudFront distribution that also routes the API's
# paths to the load balancer, so the browser sees a single origin: no CORS,
# and a CSP of 'self' covers the API calls.
#
# The release uploads the files (scripts/deploy/web.sh); config.json is
# Terraform's (config.tf), so the same bundle runs in every environment.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Built, not read from the bucket, so the policies are known at plan.
  bucket_name = "${var.name}-web-${local.account_id}"
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"

  # The runtime configuration the app fetches at start; never uploaded by
  # the release (scripts/deploy/web.sh excludes it).
  config_key = "config.json"

  origins = {
    app = "app"
    api = "api"
  }

  # AWS managed policies, by their fixed IDs (AWS documents them; they are
  # the same in every account). A data source would look them up by name,
  # a CloudFront call at every plan, which the plan role and an emulator's
  # plan would both have to answer.
  managed_policy_ids = {
    # Cache key: path and normalised Accept-Encoding only; TTLs from the
    # objects' Cache-Control, between 1 s and a year.
    caching_optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    # TTL 0: every API request goes to the origin.
    caching_disabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    # Every viewer header, cookie and query string but Host (the ALB's
    # certificate is for api_origin_domain_name, not for the viewer's host).
    # With caching disabled it forwards Authorization too.
    all_viewer_except_host_header = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  }

  custom_certificate = var.acm_certificate_arn != null

  url = "https://${length(var.aliases) > 0 ? var.aliases[0] : aws_cloudfront_distribution.this.domain_name}"
}
