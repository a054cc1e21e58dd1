# terraform test: the audit module against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  # Only the rendered json is mocked; the statements stay as configured.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  # Resources that other resources take ARNs of: real-looking ones.
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
      key_id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  # The trail's bucket by default; Config's is overridden below.
  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "bazaar-test-audit-123456789012"
      arn = "arn:aws:s3:::bazaar-test-audit-123456789012"
    }
  }

  mock_resource "aws_iam_service_linked_role" {
    defaults = {
      arn  = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
      name = "AWSServiceRoleForConfig"
    }
  }

  mock_resource "aws_cloudtrail" {
    defaults = {
      arn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/bazaar-test-audit"
    }
  }

  mock_resource "aws_config_config_rule" {
    defaults = {
      arn = "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-0a1b2c"
    }
  }

  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/bazaar-test-config-noncompliant"
    }
  }
}

override_resource {
  target = aws_s3_bucket.config
  values = {
    id  = "bazaar-test-config-123456789012"
    arn = "arn:aws:s3:::bazaar-test-config-123456789012"
  }
}

variables {
  name            = "bazaar-test"
  alarm_topic_arn = "arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms"
}

run "trail_is_multi_region_validated_and_encrypted" {
  command = apply

  assert {
    condition     = length(aws_cloudtrail.this) == 1 && aws_cloudtrail.this[0].name == "bazaar-test-audit"
    error_message = "One trail, <name>-audit, exists by default."
  }

  assert {
    condition = (
      aws_cloudtrail.this[0].is_multi_region_trail &&
      aws_cloudtrail.this[0].include_global_service_events &&
      aws_cloudtrail.this[0].enable_log_file_validation &&
      aws_cloudtrail.this[0].enable_logging
    )
    error_message = "The trail logs every region, global services included, with log file validation on."
  }

  assert {
    condition     = aws_cloudtrail.this[0].kms_key_id == aws_kms_key.audit[0].arn && aws_kms_key.audit[0].enable_key_rotation
    error_message = "The trail encrypts with the module's key, which rotates."
  }

  assert {
    condition = [for s in aws_cloudtrail.this[0].event_selector : {
      rw         = s.read_write_type
      management = s.include_management_events
    }] == [{ rw = "All", management = true }]
    error_message = "Management events are recorded, read and write."
  }

  assert {
    condition     = aws_cloudtrail.this[0].s3_bucket_name == "bazaar-test-audit-123456789012" && aws_cloudtrail.this[0].s3_key_prefix == "cloudtrail"
    error_message = "The trail delivers to its bucket under cloudtrail/."
  }

  assert {
    condition     = output.trail_arn == aws_cloudtrail.this[0].arn && output.bucket_name == "bazaar-test-audit-123456789012"
    error_message = "trail_arn and bucket_name are the trail's and its bucket's."
  }
}

run "key_policy_lets_only_this_trail_encrypt" {
  command = plan

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.key[0].statement :
      s.sid == "CloudTrailEncryptsLogs" &&
      s.actions == toset(["kms:GenerateDataKey*"]) &&
      anytrue([for p in s.principals : p.type == "Service" && p.identifiers == toset(["cloudtrail.amazonaws.com"])]) &&
      anytrue([for c in s.condition : c.test == "StringEquals" && c.variable == "aws:SourceArn" && c.values == tolist(["arn:aws:cloudtrail:eu-west-1:123456789012:trail/bazaar-test-audit"])]) &&
      anytrue([for c in s.condition : c.test == "StringLike" && c.variable == "kms:EncryptionContext:aws:cloudtrail:arn" && c.values == tolist(["arn:aws:cloudtrail:*:123456789012:trail/*"])])
    ])
    error_message = "CloudTrail may generate data keys only for this trail (aws:SourceArn) and with this account's CloudTrail encryption context."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.key[0].statement :
      s.actions == toset(["kms:DescribeKey"]) &&
      anytrue([for c in s.condition : c.variable == "aws:SourceArn" && c.values == tolist(["arn:aws:cloudtrail:eu-west-1:123456789012:trail/bazaar-test-audit"])])
    ])
    error_message = "CloudTrail may describe the key, for this trail only."
  }

  assert {
    # AWS Config's documented key policy for delivery with its service-linked
    # role: the config.amazonaws.com service principal, for this account.
    condition = anytrue([
      for s in data.aws_iam_policy_document.key[0].statement :
      s.sid == "ConfigEncryptsDeliveries" &&
      s.actions == toset(["kms:Decrypt", "kms:GenerateDataKey"]) &&
      anytrue([for p in s.principals : p.type == "Service" && p.identifiers == toset(["config.amazonaws.com"])]) &&
      anytrue([for c in s.condition : c.test == "StringEquals" && c.variable == "aws:SourceAccount" && c.values == tolist(["123456789012"])])
    ])
    error_message = "Config may decrypt and generate data keys for its deliveries, as its service principal and for this account only."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.key[0].statement :
      length(s.condition) > 0
      if anytrue([for p in s.principals : contains(p.identifiers, "config.amazonaws.com")])
    ])
    error_message = "Every key policy grant to Config carries a condition."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.key[0].statement :
      alltrue([for p in s.principals : !contains(p.identifiers, "*")])
    ])
    error_message = "No key policy statement names a wildcard principal."
  }
}

run "trail_bucket_is_object_locked_private_and_expiring" {
  command = plan

  assert {
    condition     = aws_s3_bucket.trail[0].bucket == "bazaar-test-audit-123456789012" && aws_s3_bucket.trail[0].object_lock_enabled && aws_s3_bucket.trail[0].force_destroy == false
    error_message = "The trail's bucket <name>-audit-<account> is created with object lock and kept on destroy."
  }

  assert {
    condition = (
      aws_s3_bucket_object_lock_configuration.trail[0].rule[0].default_retention[0].mode == "COMPLIANCE" &&
      aws_s3_bucket_object_lock_configuration.trail[0].rule[0].default_retention[0].days == 365
    )
    error_message = "Objects are locked in COMPLIANCE mode for retention_days (365)."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.trail[0].block_public_acls &&
      aws_s3_bucket_public_access_block.trail[0].block_public_policy &&
      aws_s3_bucket_public_access_block.trail[0].ignore_public_acls &&
      aws_s3_bucket_public_access_block.trail[0].restrict_public_buckets
    )
    error_message = "All public access to the trail's bucket is blocked."
  }

  assert {
    condition     = aws_s3_bucket_versioning.trail[0].versioning_configuration[0].status == "Enabled"
    error_message = "The trail's bucket is versioned."
  }

  assert {
    condition = [for r in aws_s3_bucket_server_side_encryption_configuration.trail[0].rule : {
      algorithm  = r.apply_server_side_encryption_by_default[0].sse_algorithm
      key        = r.apply_server_side_encryption_by_default[0].kms_master_key_id
      bucket_key = r.bucket_key_enabled
    }] == [{ algorithm = "aws:kms", key = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", bucket_key = true }]
    error_message = "The trail's bucket encrypts by default with SSE-KMS under the audit key."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.trail[0].rule[0].expiration[0].days == 365 && aws_s3_bucket_lifecycle_configuration.trail[0].rule[0].noncurrent_version_expiration[0].noncurrent_days == 1
    error_message = "Objects expire after retention_days, their versions a day later."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.trail[0].rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are disabled on the trail's bucket."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.trail) + length(aws_s3_bucket_logging.config) == 0
    error_message = "No server access logging without access_logs_bucket."
  }
}

run "config_bucket_is_private_expiring_and_not_locked" {
  command = plan

  assert {
    condition     = aws_s3_bucket.config[0].bucket == "bazaar-test-config-123456789012" && aws_s3_bucket.config[0].force_destroy == false
    error_message = "Config's bucket is <name>-config-<account>, kept on destroy."
  }

  assert {
    # AWS Config does not deliver to a bucket with object lock and a default retention.
    condition     = aws_s3_bucket.config[0].object_lock_enabled == false && length(aws_s3_bucket_object_lock_configuration.trail) == 1
    error_message = "Config's bucket has no object lock; the only lock configuration is the trail's."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.config[0].block_public_acls &&
      aws_s3_bucket_public_access_block.config[0].block_public_policy &&
      aws_s3_bucket_public_access_block.config[0].ignore_public_acls &&
      aws_s3_bucket_public_access_block.config[0].restrict_public_buckets &&
      aws_s3_bucket_ownership_controls.config[0].rule[0].object_ownership == "BucketOwnerEnforced" &&
      aws_s3_bucket_versioning.config[0].versioning_configuration[0].status == "Enabled"
    )
    error_message = "Config's bucket is private, ACL-less and versioned."
  }

  assert {
    condition = [for r in aws_s3_bucket_server_side_encryption_configuration.config[0].rule : {
      algorithm  = r.apply_server_side_encryption_by_default[0].sse_algorithm
      key        = r.apply_server_side_encryption_by_default[0].kms_master_key_id
      bucket_key = r.bucket_key_enabled
    }] == [{ algorithm = "aws:kms", key = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", bucket_key = true }]
    error_message = "Config's bucket encrypts by default with SSE-KMS under the audit key."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.config[0].rule[0].expiration[0].days == 365 && aws_s3_bucket_lifecycle_configuration.config[0].rule[0].noncurrent_version_expiration[0].noncurrent_days == 365
    error_message = "Config's objects, and versions overwritten or deleted, are kept retention_days."
  }
}

run "retention_and_lock_mode_follow_inputs" {
  command = plan

  variables {
    retention_days   = 30
    object_lock_mode = "GOVERNANCE"
    force_destroy    = true
  }

  assert {
    condition = (
      aws_s3_bucket_object_lock_configuration.trail[0].rule[0].default_retention[0].mode == "GOVERNANCE" &&
      aws_s3_bucket_object_lock_configuration.trail[0].rule[0].default_retention[0].days == 30 &&
      aws_s3_bucket_lifecycle_configuration.trail[0].rule[0].expiration[0].days == 30 &&
      aws_s3_bucket.trail[0].force_destroy
    )
    error_message = "object_lock_mode, retention_days and force_destroy are passed through to the trail's bucket."
  }

  assert {
    condition = (
      aws_s3_bucket_lifecycle_configuration.config[0].rule[0].expiration[0].days == 30 &&
      aws_s3_bucket_lifecycle_configuration.config[0].rule[0].noncurrent_version_expiration[0].noncurrent_days == 30 &&
      aws_s3_bucket.config[0].force_destroy
    )
    error_message = "retention_days and force_destroy are passed through to Config's bucket."
  }
}

run "object_lock_can_be_switched_off" {
  command = plan

  variables {
    object_lock_enabled = false
  }

  assert {
    condition     = length(aws_s3_bucket_object_lock_configuration.trail) == 0 && aws_s3_bucket.trail[0].object_lock_enabled == false
    error_message = "object_lock_enabled = false makes the bucket without object lock."
  }
}

run "trail_bucket_policy_is_tls_only_and_admits_only_this_trail" {
  command = plan

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.tls_only["trail"].statement :
      s.sid == "DenyInsecureTransport" && s.effect == "Deny" && s.actions == toset(["s3:*"]) &&
      s.resources == toset(["arn:aws:s3:::bazaar-test-audit-123456789012", "arn:aws:s3:::bazaar-test-audit-123456789012/*"]) &&
      anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ]) && data.aws_iam_policy_document.trail_bucket[0].source_policy_documents == tolist([data.aws_iam_policy_document.tls_only["trail"].json])
    error_message = "The trail's bucket policy starts from a denial of every request without TLS, to the bucket and its objects."
  }

  assert {
    condition     = aws_s3_bucket_policy.trail[0].policy == data.aws_iam_policy_document.trail_bucket[0].json
    error_message = "The trail's bucket gets its policy document."
  }

  assert {
    condition = toset([
      for s in data.aws_iam_policy_document.trail_bucket[0].statement : s.sid
      if anytrue([for p in s.principals : contains(p.identifiers, "cloudtrail.amazonaws.com")])
    ]) == toset(["CloudTrailAclCheck", "CloudTrailWrite"])
    error_message = "CloudTrail gets its two documented statements."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.trail_bucket[0].statement :
      anytrue([for c in s.condition : c.variable == "aws:SourceArn" && c.values == tolist(["arn:aws:cloudtrail:eu-west-1:123456789012:trail/bazaar-test-audit"])])
      if anytrue([for p in s.principals : contains(p.identifiers, "cloudtrail.amazonaws.com")])
    ])
    error_message = "Every CloudTrail statement is limited to this trail (aws:SourceArn)."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.trail_bucket[0].statement :
      s.sid == "CloudTrailWrite" && s.resources == toset(["arn:aws:s3:::bazaar-test-audit-123456789012/cloudtrail/AWSLogs/123456789012/*"])
    ])
    error_message = "CloudTrail may write only under cloudtrail/AWSLogs/<account>/."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.trail_bucket[0].statement : s
      if anytrue([for p in s.principals : contains(p.identifiers, "config.amazonaws.com")])
    ]) == 0
    error_message = "The trail's bucket admits no Config delivery: Config has its own bucket."
  }
}

run "config_bucket_policy_is_tls_only_and_admits_only_this_account" {
  command = plan

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.tls_only["config"].statement :
      s.sid == "DenyInsecureTransport" && s.effect == "Deny" && s.actions == toset(["s3:*"]) &&
      s.resources == toset(["arn:aws:s3:::bazaar-test-config-123456789012", "arn:aws:s3:::bazaar-test-config-123456789012/*"]) &&
      anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ]) && data.aws_iam_policy_document.config_bucket[0].source_policy_documents == tolist([data.aws_iam_policy_document.tls_only["config"].json])
    error_message = "Config's bucket policy starts from a denial of every request without TLS, to the bucket and its objects."
  }

  assert {
    condition     = aws_s3_bucket_policy.config[0].policy == data.aws_iam_policy_document.config_bucket[0].json
    error_message = "Config's bucket gets its policy document."
  }

  assert {
    condition = toset([
      for s in data.aws_iam_policy_document.config_bucket[0].statement : s.sid
      if anytrue([for p in s.principals : contains(p.identifiers, "config.amazonaws.com")]) &&
      anytrue([for c in s.condition : c.variable == "aws:SourceAccount" && c.values == tolist(["123456789012"])])
    ]) == toset(["ConfigBucketPermissionsCheck", "ConfigBucketExistenceCheck", "ConfigBucketDelivery"])
    error_message = "Config gets its three documented statements, each limited to this account."
  }

  assert {
    condition = toset(flatten([
      for s in data.aws_iam_policy_document.config_bucket[0].statement : tolist(s.resources)
      if s.sid != "ConfigBucketDelivery"
    ])) == toset(["arn:aws:s3:::bazaar-test-config-123456789012"])
    error_message = "Config's checks name its own bucket, not the trail's."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.config_bucket[0].statement :
      s.sid == "ConfigBucketDelivery" && s.resources == toset(["arn:aws:s3:::bazaar-test-config-123456789012/AWSLogs/123456789012/Config/*"])
    ])
    error_message = "Config may write only under AWSLogs/<account>/Config/ of its bucket."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.config_bucket[0].statement : s
      if anytrue([for p in s.principals : contains(p.identifiers, "cloudtrail.amazonaws.com")])
    ]) == 0
    error_message = "Config's bucket admits no CloudTrail delivery."
  }
}

run "recorder_records_everything_and_delivers_to_its_own_bucket" {
  command = apply

  assert {
    condition = (
      aws_config_configuration_recorder.this[0].recording_group[0].all_supported &&
      aws_config_configuration_recorder.this[0].recording_group[0].include_global_resource_types &&
      aws_config_configuration_recorder.this[0].role_arn == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" &&
      aws_config_configuration_recorder.this[0].recording_mode[0].recording_frequency == "CONTINUOUS"
    )
    error_message = "The recorder records every supported type, global ones included, continuously, with AWS Config's service-linked role."
  }

  assert {
    condition = (
      aws_config_delivery_channel.this[0].s3_bucket_name == "bazaar-test-config-123456789012" &&
      aws_config_delivery_channel.this[0].s3_bucket_name == aws_s3_bucket.config[0].id &&
      aws_config_delivery_channel.this[0].s3_key_prefix == null &&
      aws_config_delivery_channel.this[0].s3_kms_key_arn == aws_kms_key.audit[0].arn
    )
    error_message = "Config delivers to its own bucket, at its root (AWSLogs/...), encrypted with the audit key."
  }

  assert {
    condition     = output.config_bucket_name == "bazaar-test-config-123456789012" && output.config_bucket_arn == "arn:aws:s3:::bazaar-test-config-123456789012"
    error_message = "config_bucket_name and config_bucket_arn are Config's bucket's."
  }

  assert {
    condition     = output.bucket_name == "bazaar-test-audit-123456789012" && output.bucket_arn == "arn:aws:s3:::bazaar-test-audit-123456789012"
    error_message = "bucket_name and bucket_arn stay the trail's bucket's."
  }

  assert {
    condition     = aws_config_configuration_recorder_status.this[0].is_enabled && aws_config_configuration_recorder_status.this[0].name == "bazaar-test"
    error_message = "The recorder is started."
  }

  assert {
    condition     = length(aws_iam_service_linked_role.config) == 1 && aws_iam_service_linked_role.config[0].aws_service_name == "config.amazonaws.com"
    error_message = "AWS Config's service-linked role is created, for config.amazonaws.com."
  }

  assert {
    condition     = output.config_recorder_name == "bazaar-test" && output.config_role_arn == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    error_message = "config_recorder_name and config_role_arn are the recorder's and the service-linked role's."
  }
}

run "an_existing_service_linked_role_is_used_not_created" {
  command = plan

  variables {
    create_config_service_linked_role = false
    recording_frequency               = "DAILY"
  }

  assert {
    condition     = length(aws_iam_service_linked_role.config) == 0
    error_message = "create_config_service_linked_role = false creates no service-linked role."
  }

  assert {
    condition = (
      aws_config_configuration_recorder.this[0].role_arn == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" &&
      output.config_role_arn == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    )
    error_message = "The recorder still uses the account's AWSServiceRoleForConfig."
  }

  assert {
    condition     = aws_config_configuration_recorder.this[0].recording_mode[0].recording_frequency == "DAILY"
    error_message = "recording_frequency is passed through."
  }
}

run "every_promised_rule_exists_with_its_identifier" {
  command = apply

  assert {
    condition = { for key, rule in aws_config_config_rule.managed : key => rule.source[0].source_identifier } == {
      "s3-bucket-server-side-encryption-enabled"   = "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"
      "rds-storage-encrypted"                      = "RDS_STORAGE_ENCRYPTED"
      "rds-cluster-encrypted-at-rest"              = "RDS_CLUSTER_ENCRYPTED_AT_REST"
      "sns-encrypted-kms"                          = "SNS_ENCRYPTED_KMS"
      "cloud-trail-encryption-enabled"             = "CLOUD_TRAIL_ENCRYPTION_ENABLED"
      "s3-bucket-level-public-access-prohibited"   = "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"
      "s3-bucket-ssl-requests-only"                = "S3_BUCKET_SSL_REQUESTS_ONLY"
      "ecs-task-definition-nonroot-user"           = "ECS_TASK_DEFINITION_NONROOT_USER"
      "ecs-task-definition-linux-user-non-root"    = "ECS_TASK_DEFINITION_LINUX_USER_NON_ROOT"
      "ecs-containers-readonly-access"             = "ECS_CONTAINERS_READONLY_ACCESS"
      "ecs-containers-nonprivileged"               = "ECS_CONTAINERS_NONPRIVILEGED"
      "iam-policy-no-statements-with-admin-access" = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"
      "cloud-trail-log-file-validation-enabled"    = "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"
      "rds-cluster-deletion-protection-enabled"    = "RDS_CLUSTER_DELETION_PROTECTION_ENABLED"
    }
    error_message = "Every promised managed rule exists, with AWS's identifier."
  }

  assert {
    condition     = alltrue([for rule in aws_config_config_rule.managed : rule.source[0].owner == "AWS" && startswith(rule.name, "bazaar-test-")])
    error_message = "Every rule is an AWS managed rule named <name>-<rule>."
  }

  assert {
    condition = toset([for key, rule in aws_config_config_rule.managed : key if rule.maximum_execution_frequency == "TwentyFour_Hours"]) == toset([
      "cloud-trail-encryption-enabled",
      "cloud-trail-log-file-validation-enabled",
    ])
    error_message = "Exactly the periodic (CloudTrail) rules run every periodic_rule_frequency."
  }

  assert {
    condition = (
      aws_config_config_rule.managed["ecs-containers-readonly-access"].scope[0].compliance_resource_types == toset(["AWS::ECS::TaskDefinition"]) &&
      aws_config_config_rule.managed["s3-bucket-ssl-requests-only"].scope[0].compliance_resource_types == toset(["AWS::S3::Bucket"]) &&
      aws_config_config_rule.managed["rds-cluster-deletion-protection-enabled"].scope[0].compliance_resource_types == toset(["AWS::RDS::DBCluster"]) &&
      length(aws_config_config_rule.managed["cloud-trail-encryption-enabled"].scope) == 0
    )
    error_message = "Change-triggered rules are scoped to their resource type; periodic ones are not scoped."
  }

  assert {
    condition     = keys(output.config_rule_arns) == keys(output.config_rule_names) && output.config_rule_names["sns-encrypted-kms"] == "bazaar-test-sns-encrypted-kms"
    error_message = "config_rule_names and config_rule_arns are keyed by AWS's rule name."
  }
}

run "deletion_protection_rule_only_when_the_environment_protects" {
  command = plan

  variables {
    deletion_protection = false
  }

  assert {
    condition     = !contains(keys(aws_config_config_rule.managed), "rds-cluster-deletion-protection-enabled") && length(aws_config_config_rule.managed) == 13
    error_message = "Without deletion protection there is no deletion-protection rule, and every other rule stays."
  }

  assert {
    condition     = !contains(jsondecode(aws_cloudwatch_event_rule.noncompliant.event_pattern).detail.configRuleName, "bazaar-test-rds-cluster-deletion-protection-enabled")
    error_message = "The alert does not listen for a rule that does not exist."
  }
}

run "without_the_recorder_only_rules_and_alert_remain_for_config" {
  command = plan

  variables {
    manage_config_recorder = false
  }

  assert {
    condition = (
      length(aws_config_configuration_recorder.this) == 0 &&
      length(aws_config_delivery_channel.this) == 0 &&
      length(aws_config_configuration_recorder_status.this) == 0 &&
      length(aws_iam_service_linked_role.config) == 0
    )
    error_message = "manage_config_recorder = false makes no recorder, delivery channel, status or service-linked role."
  }

  assert {
    condition     = output.config_role_arn == null && output.config_recorder_name == null
    error_message = "Without the recorder config_role_arn and config_recorder_name are null."
  }

  assert {
    condition     = length(aws_config_config_rule.managed) == 14 && length(aws_cloudwatch_event_target.noncompliant.arn) > 0
    error_message = "The rules and the compliance alert are still made."
  }

  assert {
    condition = (
      length(aws_s3_bucket.config) == 0 &&
      length(aws_s3_bucket_policy.config) == 0 &&
      length(aws_s3_bucket_lifecycle_configuration.config) == 0 &&
      length(aws_s3_bucket_versioning.trail) == 1 && length(aws_s3_bucket_versioning.config) == 0
    )
    error_message = "Without the recorder there is no Config bucket, nor anything of one."
  }

  assert {
    condition     = output.config_bucket_name == null && output.config_bucket_arn == null
    error_message = "Without the recorder config_bucket_name and config_bucket_arn are null."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.key[0].statement : s
      if anytrue([for p in s.principals : contains(p.identifiers, "config.amazonaws.com")])
    ]) == 0
    error_message = "Without the recorder the key policy grants Config nothing."
  }

  assert {
    condition     = length(aws_cloudtrail.this) == 1 && length(aws_s3_bucket.trail) == 1 && length(aws_s3_bucket_object_lock_configuration.trail) == 1
    error_message = "The trail and its locked bucket are unaffected."
  }
}

run "without_the_trail_no_cloudtrail_grants_remain" {
  command = plan

  variables {
    enable_trail = false
  }

  assert {
    condition = (
      length(aws_cloudtrail.this) == 0 &&
      length(aws_s3_bucket.trail) == 0 &&
      length(aws_s3_bucket_object_lock_configuration.trail) == 0 &&
      length(aws_s3_bucket_policy.trail) == 0 &&
      length(aws_s3_bucket_versioning.config) == 1 && length(aws_s3_bucket_versioning.trail) == 0
    )
    error_message = "enable_trail = false drops the trail and its bucket."
  }

  assert {
    condition     = length(aws_config_configuration_recorder.this) == 1 && length(aws_s3_bucket.config) == 1 && length(aws_kms_key.audit) == 1
    error_message = "Config's bucket and the key stay for the recorder."
  }

  assert {
    condition     = output.bucket_name == null && output.bucket_arn == null && output.config_bucket_name == "bazaar-test-config-123456789012"
    error_message = "Without the trail bucket_name and bucket_arn are null; config_bucket_name is not."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.key[0].statement : s
      if anytrue([for p in s.principals : contains(p.identifiers, "cloudtrail.amazonaws.com")])
    ]) == 0
    error_message = "Without the trail the key policy grants CloudTrail nothing."
  }
}

run "with_both_switches_off_nothing_is_stored" {
  command = apply

  variables {
    enable_trail           = false
    manage_config_recorder = false
  }

  assert {
    condition = (
      length(aws_s3_bucket.trail) == 0 && length(aws_s3_bucket.config) == 0 && length(aws_kms_key.audit) == 0 &&
      length(aws_s3_bucket_policy.trail) == 0 && length(aws_s3_bucket_policy.config) == 0 &&
      length(aws_s3_bucket_public_access_block.trail) + length(aws_s3_bucket_public_access_block.config) == 0
    )
    error_message = "Without trail and recorder there is no bucket and no key."
  }

  assert {
    condition     = output.bucket_name == null && output.config_bucket_name == null && output.kms_key_arn == null && output.trail_arn == null && output.config_recorder_name == null
    error_message = "The outputs of what is not made are null."
  }

  assert {
    condition     = length(output.config_rule_names) == 14 && output.noncompliance_event_rule_arn == aws_cloudwatch_event_rule.noncompliant.arn
    error_message = "Rules and the compliance alert remain."
  }
}

run "access_logs_go_where_asked" {
  command = plan

  variables {
    access_logs_bucket = "bazaar-test-s3-access-logs"
  }

  assert {
    condition = { for role, logging in { trail = aws_s3_bucket_logging.trail[0], config = aws_s3_bucket_logging.config[0] } : role => [logging.target_bucket, logging.target_prefix] } == {
      trail  = ["bazaar-test-s3-access-logs", "s3/bazaar-test-audit-123456789012/"]
      config = ["bazaar-test-s3-access-logs", "s3/bazaar-test-config-123456789012/"]
    }
    error_message = "Both buckets' server access logs go to access_logs_bucket, each under s3/<bucket>/."
  }
}

run "non_compliance_reaches_the_alarm_topic" {
  command = apply

  assert {
    # Compared as JSON: jsonencode orders keys, so only the content counts.
    condition = aws_cloudwatch_event_rule.noncompliant.event_pattern == jsonencode({
      source        = ["aws.config"]
      "detail-type" = ["Config Rules Compliance Change"]
      detail = {
        messageType         = ["ComplianceChangeNotification"]
        configRuleName      = sort([for rule in aws_config_config_rule.managed : rule.name])
        newEvaluationResult = { complianceType = ["NON_COMPLIANT"] }
      }
    })
    error_message = "The rule matches NON_COMPLIANT compliance changes of this module's rules, and nothing else."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.noncompliant.event_bus_name == "default"
    error_message = "Config publishes to the default bus, so the rule is there."
  }

  assert {
    condition = (
      aws_cloudwatch_event_target.noncompliant.arn == "arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms" &&
      aws_cloudwatch_event_target.noncompliant.rule == aws_cloudwatch_event_rule.noncompliant.name
    )
    error_message = "The rule's target is alarm_topic_arn."
  }

  assert {
    condition = aws_cloudwatch_event_target.noncompliant.input_transformer[0].input_paths == tomap({
      rule          = "$.detail.configRuleName"
      resource_type = "$.detail.resourceType"
      resource_id   = "$.detail.resourceId"
      account       = "$.detail.awsAccountId"
      region        = "$.detail.awsRegion"
      time          = "$.time"
    })
    error_message = "The transformer reads the rule, resource type and id, account, region and time."
  }

  assert {
    condition = alltrue([
      for placeholder in ["<rule>", "<resource_type>", "<resource_id>", "<account>", "<region>", "<time>"] :
      strcontains(aws_cloudwatch_event_target.noncompliant.input_transformer[0].input_template, placeholder)
    ])
    error_message = "The message names every field the transformer reads."
  }

  assert {
    condition = alltrue([
      for line in compact(split("\n", aws_cloudwatch_event_target.noncompliant.input_transformer[0].input_template)) :
      startswith(line, "\"") && endswith(line, "\"")
    ])
    error_message = "Every template line is one quoted string (EventBridge's text template form)."
  }
}

run "a_non_sns_alarm_target_is_refused" {
  command = plan

  variables {
    alarm_topic_arn = "arn:aws:sqs:eu-west-1:123456789012:bazaar-test-alarms"
  }

  expect_failures = [var.alarm_topic_arn]
}

run "a_retention_of_zero_days_is_refused" {
  command = plan

  variables {
    retention_days = 0
  }

  expect_failures = [var.retention_days]
}

run "a_fractional_retention_is_refused" {
  command = plan

  variables {
    retention_days = 1.5
  }

  expect_failures = [var.retention_days]
}

run "an_unknown_lock_mode_is_refused" {
  command = plan

  variables {
    object_lock_mode = "compliance"
  }

  expect_failures = [var.object_lock_mode]
}

run "a_name_too_long_for_the_bucket_is_refused" {
  command = plan

  variables {
    name = "bazaar-a-very-long-environment-name"
  }

  expect_failures = [var.name]
}

run "an_unknown_frequency_is_refused" {
  command = plan

  variables {
    periodic_rule_frequency = "Daily"
    recording_frequency     = "HOURLY"
  }

  expect_failures = [var.periodic_rule_frequency, var.recording_frequency]
}

run "an_access_log_bucket_arn_instead_of_a_name_is_refused" {
  command = plan

  variables {
    access_logs_bucket = "arn:aws:s3:::bazaar-test-s3-access-logs"
  }

  expect_failures = [var.access_logs_bucket]
}

run "a_short_key_deletion_window_is_refused" {
  command = plan

  variables {
    kms_key_deletion_window_in_days = 3
  }

  expect_failures = [var.kms_key_deletion_window_in_days]
}
