# terraform test: the event archive module against a mocked AWS provider.
# The policies as the real provider renders them: tests/policies.tftest.hcl.

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

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
      key_id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "bazaar-test-event-archive-123456789012"
      arn = "arn:aws:s3:::bazaar-test-event-archive-123456789012"
    }
  }
}

variables {
  name = "bazaar-test"
}

run "the_bucket_is_object_locked_in_compliance_for_a_year_by_default" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.bucket == "bazaar-test-event-archive-123456789012" && aws_s3_bucket.this.object_lock_enabled && aws_s3_bucket.this.force_destroy == false
    error_message = "The bucket is <name>-event-archive-<account>, made with object lock, and kept on destroy."
  }

  assert {
    condition     = output.bucket_name == "bazaar-test-event-archive-123456789012"
    error_message = "bucket_name (EVENT_ARCHIVE_BUCKET) is known at plan."
  }

  assert {
    condition = (
      length(aws_s3_bucket_object_lock_configuration.this) == 1 &&
      aws_s3_bucket_object_lock_configuration.this[0].rule[0].default_retention[0].mode == "COMPLIANCE" &&
      aws_s3_bucket_object_lock_configuration.this[0].rule[0].default_retention[0].days == 365
    )
    error_message = "Every new version is locked in COMPLIANCE mode for 365 days by default."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket is versioned (object lock needs it)."
  }
}

run "the_bucket_is_private_acl_less_and_encrypted_with_the_module_key" {
  # The key's ARN is known once applied (mocked).
  command = apply

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls &&
      aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls &&
      aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "All public access to the archive is blocked."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are disabled (BucketOwnerEnforced)."
  }

  assert {
    condition = [for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : {
      algorithm  = r.apply_server_side_encryption_by_default[0].sse_algorithm
      key        = r.apply_server_side_encryption_by_default[0].kms_master_key_id
      bucket_key = r.bucket_key_enabled
    }] == [{ algorithm = "aws:kms", key = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", bucket_key = true }]
    error_message = "The bucket encrypts by default with SSE-KMS under the module's key, bucket key on."
  }

  assert {
    condition     = length(aws_kms_key.this) == 1 && aws_kms_key.this[0].enable_key_rotation && aws_kms_alias.this[0].name == "alias/bazaar-test/event-archive"
    error_message = "Without kms_key_arn the module makes its own rotating key, alias/<name>/event-archive."
  }

  assert {
    condition     = output.kms_key_arn == aws_kms_key.this[0].arn && output.prefix == "events/"
    error_message = "kms_key_arn is the module's key; prefix is events/."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0
    error_message = "No server access logging without access_logs_bucket."
  }
}

run "the_key_policy_delegates_to_the_account_only" {
  command = plan

  assert {
    condition = [for s in data.aws_iam_policy_document.key[0].statement : {
      sid     = s.sid
      actions = s.actions
      who     = flatten([for p in s.principals : p.identifiers])
    }] == [{ sid = "AccountAdministers", actions = toset(["kms:*"]), who = ["arn:aws:iam::123456789012:root"] }]
    error_message = "The key policy names the account root alone; IAM policies say who uses the key."
  }
}

run "nothing_expires_older_batches_move_to_classes_that_answer_at_once" {
  command = plan

  assert {
    condition = [
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : {
        prefix      = r.filter[0].prefix
        transitions = [for t in r.transition : { days = t.days, class = t.storage_class }]
      } if r.id == "tier-events"
      ] == [{
        prefix      = "events/"
        transitions = [{ days = 30, class = "STANDARD_IA" }, { days = 90, class = "GLACIER_IR" }]
    }]
    error_message = "Batches under events/ go to STANDARD_IA after 30 days and GLACIER_IR after 90."
  }

  assert {
    condition = alltrue([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : alltrue([
        for e in r.expiration : e.days == null || e.days == 0
      ])
    ])
    error_message = "No rule expires a current version: the archive is the history."
  }

  assert {
    condition = [
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : {
        status     = r.status
        noncurrent = r.noncurrent_version_expiration[0].noncurrent_days
        multipart  = r.abort_incomplete_multipart_upload[0].days_after_initiation
      } if r.id == "expire-noncurrent-versions"
    ] == [{ status = "Enabled", noncurrent = 90, multipart = 1 }]
    error_message = "Noncurrent versions go after 90 days, incomplete multipart uploads after 1."
  }

  assert {
    condition = anytrue([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : anytrue([for e in r.expiration : e.expired_object_delete_marker == true])
    ])
    error_message = "Expired delete markers are removed."
  }

  assert {
    condition     = !anytrue([for r in aws_s3_bucket_lifecycle_configuration.this.rule : anytrue([for t in r.transition : contains(["GLACIER", "DEEP_ARCHIVE"], t.storage_class)])])
    error_message = "Nothing moves to a class GetObject cannot read without a restore."
  }
}

run "the_bucket_policy_is_tls_only_kms_only_and_refuses_delete_markers" {
  # The key's ARN is known once applied (mocked).
  command = apply

  assert {
    condition     = length(aws_s3_bucket_policy.this) == 1
    error_message = "The bucket policy is attached by default."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DenyInsecureTransport" && s.effect == "Deny" && s.actions == toset(["s3:*"]) &&
      s.resources == toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012", "arn:aws:s3:::bazaar-test-event-archive-123456789012/*"]) &&
      anytrue([for c in s.condition : c.test == "Bool" && c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "Every request without TLS is denied."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DenyOtherEncryption" && s.effect == "Deny" && s.actions == toset(["s3:PutObject"]) &&
      anytrue([for c in s.condition : c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["false"])]) &&
      anytrue([for c in s.condition : c.test == "StringNotEquals" && c.variable == "s3:x-amz-server-side-encryption" && c.values == tolist(["aws:kms"])])
    ])
    error_message = "A PutObject that names an encryption other than aws:kms is denied; one that names none is not."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DenyOtherKmsKeys" && s.effect == "Deny" && s.actions == toset(["s3:PutObject"]) &&
      anytrue([for c in s.condition : c.test == "Null" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist(["false"])]) &&
      anytrue([for c in s.condition : c.test == "StringNotEquals" && c.variable == "s3:x-amz-server-side-encryption-aws-kms-key-id" && c.values == tolist(["arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"])])
    ])
    error_message = "A PutObject that names another KMS key than the archive's is denied."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DenyDeleteMarkers" && s.effect == "Deny" && s.actions == toset(["s3:DeleteObject"]) && length(s.condition) == 0
    ])
    error_message = "No one may put a delete marker over an archived batch."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.bucket.statement : s.effect == "Deny"
    ])
    error_message = "The bucket policy only denies: access is granted through IAM (writer_policy_json, reader_policy_json)."
  }
}

run "lock_mode_days_and_force_destroy_follow_inputs" {
  command = plan

  variables {
    lock_mode     = "GOVERNANCE"
    lock_days     = 30
    force_destroy = true
  }

  assert {
    condition = (
      aws_s3_bucket_object_lock_configuration.this[0].rule[0].default_retention[0].mode == "GOVERNANCE" &&
      aws_s3_bucket_object_lock_configuration.this[0].rule[0].default_retention[0].days == 30 &&
      aws_s3_bucket.this.force_destroy
    )
    error_message = "lock_mode, lock_days and force_destroy reach the bucket."
  }
}

run "a_given_key_is_used_and_none_is_made" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition = (
      length(aws_kms_key.this) == 0 && length(aws_kms_alias.this) == 0 &&
      [for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : r.apply_server_side_encryption_by_default[0].kms_master_key_id] == [var.kms_key_arn] &&
      output.kms_key_arn == var.kms_key_arn
    )
    error_message = "With kms_key_arn the bucket uses that key and the module makes none."
  }
}

run "access_logs_go_to_the_given_bucket" {
  command = plan

  variables {
    access_logs_bucket = "bazaar-test-s3-access-logs"
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "bazaar-test-s3-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "s3/bazaar-test-event-archive-123456789012/"
    error_message = "Server access logs go to access_logs_bucket under s3/<bucket>/."
  }
}

run "an_emulator_can_go_without_object_lock_and_bucket_policy" {
  command = plan

  variables {
    object_lock_enabled  = false
    enable_bucket_policy = false
  }

  assert {
    condition     = aws_s3_bucket.this.object_lock_enabled == false && length(aws_s3_bucket_object_lock_configuration.this) == 0 && length(aws_s3_bucket_policy.this) == 0
    error_message = "object_lock_enabled = false and enable_bucket_policy = false leave out the lock and the policy."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled" && length(aws_s3_bucket_server_side_encryption_configuration.this.rule) == 1
    error_message = "Versioning and encryption stay."
  }
}

run "an_unknown_lock_mode_is_refused" {
  command = plan

  variables {
    lock_mode = "compliance"
  }

  expect_failures = [var.lock_mode]
}

run "a_lock_of_zero_days_is_refused" {
  command = plan

  variables {
    lock_days = 0
  }

  expect_failures = [var.lock_days]
}

run "a_standard_ia_transition_before_30_days_is_refused" {
  command = plan

  variables {
    transition_to_standard_ia_days = 7
  }

  expect_failures = [var.transition_to_standard_ia_days]
}

run "glacier_ir_less_than_30_days_after_standard_ia_is_refused" {
  command = plan

  variables {
    transition_to_standard_ia_days = 30
    transition_to_glacier_ir_days  = 45
  }

  expect_failures = [var.transition_to_glacier_ir_days]
}

run "a_key_alias_is_refused" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/bazaar-test/event-archive"
  }

  expect_failures = [var.kms_key_arn]
}

run "a_name_too_long_for_the_bucket_is_refused" {
  command = plan

  variables {
    name = "bazaar-a-very-long-environment-name-x"
  }

  expect_failures = [var.name]
}
