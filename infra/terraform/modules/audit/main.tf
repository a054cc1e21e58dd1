# The audit trail of one environment's AWS account: who called which API
# (CloudTrail), what every resource looked like and when it changed (AWS
# Config), and whether it still keeps the platform's promises (Config
# managed rules), with a message to the alarm topic for every breach.
#
# One AWS account per environment is the deployment model, so the trail and
# the recorder are this module's to make; both are account-wide singletons
# and can be switched off where an organisation already provides them.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  trail_count    = var.enable_trail ? 1 : 0
  recorder_count = var.manage_config_recorder ? 1 : 0
  # The key exists for the trail and the recorder; with both switched off
  # only rules and the alert are made, and nothing is stored.
  store_count = var.enable_trail || var.manage_config_recorder ? 1 : 0

  # Two buckets, because AWS Config does not deliver to a bucket with object
  # lock and a default retention, and the trail's bucket has both: the
  # trail's (trail_bucket.tf) and Config's (config_bucket.tf).
  trail_bucket_name  = "${var.name}-audit-${local.account_id}"
  trail_bucket_arn   = "arn:${local.partition}:s3:::${local.trail_bucket_name}"
  config_bucket_name = "${var.name}-config-${local.account_id}"
  config_bucket_arn  = "arn:${local.partition}:s3:::${local.config_bucket_name}"

  # CloudTrail writes under a prefix and adds AWSLogs/<account id>/ itself.
  # Config, alone in its bucket, writes to AWSLogs/<account id>/Config/.
  trail_prefix = "cloudtrail"

  # Known before the trail exists, so the bucket and key policies (which the
  # trail needs at creation) can name it without a dependency cycle.
  trail_name = "${var.name}-audit"
  trail_arn  = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.trail_name}"

  # AWS Config's service-linked role has this fixed name and path in every
  # account, so its ARN is the same whether this module creates the role or
  # finds it there already (create_config_service_linked_role = false).
  config_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
}
