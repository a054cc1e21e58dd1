# The AWS Config recorder: every supported resource type of the region,
# global ones (IAM) included, delivered to Config's own bucket
# (config_bucket.tf).
# A region has one recorder per account, hence manage_config_recorder.

# Config records with its service-linked role, AWSServiceRoleForConfig: AWS
# owns its trust and its AWSConfigServiceRolePolicy (read access to every
# type Config records, kept current as types are added). A role of the
# module's own would have to carry the environment's workload permissions
# boundary, like every role the deploy pipeline creates, and that boundary
# does not allow the read-everything Config needs. An SLR takes no boundary.
#
# An account holds one AWSServiceRoleForConfig for all its regions, and
# CreateServiceLinkedRole fails when it already exists:
# create_config_service_linked_role = false where it does (an organisation,
# another region, the console made it). The recorder's ARN is built, not
# read from the resource, so it is the same either way.
resource "aws_iam_service_linked_role" "config" {
  count = var.create_config_service_linked_role ? local.recorder_count : 0

  aws_service_name = "config.amazonaws.com"

  tags = var.tags
}

resource "aws_config_configuration_recorder" "this" {
  count = local.recorder_count

  name     = var.name
  role_arn = local.config_role_arn

  # Everything, so the rules (and an investigation) never miss a type; the
  # platform has one region, so recording global types here records them once.
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }

  recording_mode {
    recording_frequency = var.recording_frequency
  }

  # The ARN is a string known before the role exists: without this the
  # recorder could be put before CreateServiceLinkedRole has run.
  depends_on = [aws_iam_service_linked_role.config]
}

resource "aws_config_delivery_channel" "this" {
  count = local.recorder_count

  name = var.name
  # No key prefix: the bucket is Config's alone, so it writes to
  # AWSLogs/<account id>/Config/, the path its bucket policy admits.
  s3_bucket_name = aws_s3_bucket.config[0].id
  s3_kms_key_arn = aws_kms_key.audit[0].arn

  snapshot_delivery_properties {
    delivery_frequency = var.periodic_rule_frequency
  }

  # Config test-writes to the bucket when the channel is put. The SLR has no
  # S3 or KMS rights, so Config delivers as its service principal, which its
  # bucket's policy and the key policy (kms.tf) admit for this account only.
  depends_on = [
    aws_config_configuration_recorder.this,
    aws_s3_bucket_policy.config,
  ]
}

resource "aws_config_configuration_recorder_status" "this" {
  count = local.recorder_count

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  # A recorder starts only once it has a delivery channel.
  depends_on = [aws_config_delivery_channel.this]
}
