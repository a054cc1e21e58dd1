# terraform test: the backup module against a mocked AWS provider.

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

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
      key_id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/bazaar-test-backup"
    }
  }

  mock_resource "aws_backup_vault" {
    defaults = {
      arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:bazaar-test"
    }
  }

  mock_resource "aws_backup_plan" {
    defaults = {
      id  = "0a1b2c3d-0000-4000-8000-000000000001"
      arn = "arn:aws:backup:eu-west-1:123456789012:backup-plan:0a1b2c3d-0000-4000-8000-000000000001"
    }
  }
}

variables {
  name          = "bazaar-test"
  cluster_arn   = "arn:aws:rds:eu-west-1:123456789012:cluster:bazaar-test-db"
  sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms"
}

run "the_vault_is_named_after_the_environment_and_encrypted_with_its_own_rotating_key" {
  command = apply

  assert {
    condition     = aws_backup_vault.this.name == "bazaar-test" && aws_backup_vault.this.kms_key_arn == aws_kms_key.this.arn
    error_message = "The vault is \"<name>\", encrypted with the module's key."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true && aws_kms_alias.this.name == "alias/bazaar-test-backup"
    error_message = "The key rotates and is aliased alias/<name>-backup."
  }

  assert {
    condition     = aws_backup_vault.this.force_destroy == false
    error_message = "A destroy never deletes recovery points unless force_destroy says so."
  }

  assert {
    condition     = output.vault_arn == aws_backup_vault.this.arn && output.vault_name == "bazaar-test" && output.kms_key_arn == aws_kms_key.this.arn
    error_message = "vault_arn, vault_name and kms_key_arn are exported."
  }
}

run "the_key_policy_lets_only_the_backup_role_use_the_key_and_only_through_aws_backup" {
  command = apply

  assert {
    condition = [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Sid] == [
      "AccountAdministers", "BackupRoleUsesThroughAwsBackup", "BackupRoleGrantsToAwsBackup",
    ]
    error_message = "Three statements: the account administers, the backup role uses, the backup role grants."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement : s.Principal.AWS == aws_iam_role.this.arn && s.Condition.StringEquals["kms:ViaService"] == "backup.eu-west-1.amazonaws.com"
      if s.Sid != "AccountAdministers"
    ])
    error_message = "Use of the key is granted to the backup role only, through backup.<region>.amazonaws.com only."
  }

  assert {
    condition     = one([for s in jsondecode(aws_kms_key.this.policy).Statement : s.Condition.Bool["kms:GrantIsForAWSResource"] if s.Sid == "BackupRoleGrantsToAwsBackup"]) == "true"
    error_message = "Grants are only ever for an AWS resource."
  }

  assert {
    condition     = one([for s in jsondecode(aws_kms_key.this.policy).Statement : s.Principal.AWS if s.Sid == "AccountAdministers"]) == "arn:aws:iam::123456789012:root"
    error_message = "The account root administers the key."
  }
}

run "the_daily_rule_follows_its_inputs" {
  command = plan

  variables {
    daily_schedule            = "cron(30 6 * * ? *)"
    start_window_minutes      = 120
    completion_window_minutes = 300
    daily_retention_days      = 90
  }

  assert {
    condition = one([
      for r in aws_backup_plan.this.rule : r.schedule == "cron(30 6 * * ? *)" && r.start_window == 120 && r.completion_window == 300 && r.lifecycle[0].delete_after == 90 && r.target_vault_name == "bazaar-test"
      if r.rule_name == "daily"
    ])
    error_message = "The daily rule takes its schedule, windows and retention from the inputs, into the module's vault."
  }

  assert {
    condition     = one([for r in aws_backup_plan.this.rule : r.enable_continuous_backup if r.rule_name == "daily"]) == false
    error_message = "The daily rule makes snapshots, not continuous backups."
  }

  assert {
    condition     = one([for r in aws_backup_plan.this.rule : length(r.copy_action) if r.rule_name == "daily"]) == 0
    error_message = "No copy without copy_vault_arn."
  }
}

run "the_daily_rule_defaults_run_after_the_database_windows" {
  command = plan

  assert {
    condition = one([
      for r in aws_backup_plan.this.rule : r.schedule == "cron(0 5 * * ? *)" && r.start_window == 60 && r.completion_window == 240 && r.lifecycle[0].delete_after == 35
      if r.rule_name == "daily"
    ])
    error_message = "Daily at 05:00 UTC (after the 02:00-03:00 backup and the Sunday 04:00-05:00 maintenance windows), 60/240 minute windows, kept 35 days."
  }

  assert {
    condition     = aws_backup_plan.this.name == "bazaar-test"
    error_message = "The plan is named after the environment."
  }
}

run "continuous_backup_is_on_by_default_for_35_days" {
  command = plan

  assert {
    condition     = length(aws_backup_plan.this.rule) == 2
    error_message = "Two rules: daily and continuous."
  }

  assert {
    condition = one([
      for r in aws_backup_plan.this.rule : r.enable_continuous_backup == true && r.lifecycle[0].delete_after == 35 && r.lifecycle[0].cold_storage_after == null && length(r.copy_action) == 0
      if r.rule_name == "continuous"
    ])
    error_message = "The continuous rule keeps point-in-time restore 35 days, never in cold storage, never copied."
  }
}

run "the_continuous_rule_runs_apart_from_the_daily_one" {
  command = plan

  assert {
    condition     = one([for r in aws_backup_plan.this.rule : r.schedule if r.rule_name == "continuous"]) == "cron(0 17 * * ? *)"
    error_message = "The continuous rule's daily job runs at 17:00 UTC, twelve hours from the snapshot."
  }
}

run "a_continuous_schedule_equal_to_the_daily_one_is_refused" {
  command = plan

  variables {
    continuous_schedule = "cron(0 5 * * ? *)"
  }

  expect_failures = [var.continuous_schedule]
}

run "continuous_backup_can_be_off" {
  command = plan

  variables {
    enable_continuous_backup = false
  }

  assert {
    condition     = [for r in aws_backup_plan.this.rule : r.rule_name] == ["daily"]
    error_message = "enable_continuous_backup = false leaves the daily rule only."
  }

  assert {
    condition     = output.recovery_point_objective.point_in_time_restore == false && output.recovery_point_objective.in_region_minutes == 24 * 60 + 60
    error_message = "Without continuous backup the objective is the daily snapshot: a day plus the start window."
  }
}

run "continuous_retention_over_35_days_is_refused" {
  command = plan

  variables {
    continuous_retention_days = 36
  }

  expect_failures = [var.continuous_retention_days]
}

run "a_copy_goes_to_the_second_region_vault_with_its_own_retention" {
  command = plan

  variables {
    copy_vault_arn      = "arn:aws:backup:eu-central-1:123456789012:backup-vault:bazaar-test-copy"
    copy_retention_days = 120
  }

  assert {
    condition = one([
      for r in aws_backup_plan.this.rule : [for c in r.copy_action : [c.destination_vault_arn, c.lifecycle[0].delete_after]]
      if r.rule_name == "daily"
    ]) == [["arn:aws:backup:eu-central-1:123456789012:backup-vault:bazaar-test-copy", 120]]
    error_message = "The daily rule copies to copy_vault_arn, kept copy_retention_days."
  }

  assert {
    condition     = output.recovery_point_objective.cross_region_minutes == 24 * 60 + 60
    error_message = "With a copy, the second region's objective is the daily snapshot."
  }
}

run "a_copy_vault_in_the_same_region_is_refused" {
  command = plan

  variables {
    copy_vault_arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:bazaar-test-copy"
  }

  expect_failures = [aws_backup_plan.this]
}

run "a_malformed_copy_vault_arn_is_refused" {
  command = plan

  variables {
    copy_vault_arn = "bazaar-test-copy"
  }

  expect_failures = [var.copy_vault_arn]
}

run "the_cluster_is_selected_by_arn_under_the_backup_role" {
  command = apply

  assert {
    condition     = length(aws_backup_selection.this) == 1 && aws_backup_selection.this[0].resources == toset([var.cluster_arn])
    error_message = "The selection holds exactly the cluster."
  }

  assert {
    condition     = aws_backup_selection.this[0].iam_role_arn == aws_iam_role.this.arn && aws_backup_selection.this[0].plan_id == aws_backup_plan.this.id
    error_message = "The selection runs under the module's role, in the module's plan."
  }

  assert {
    condition     = output.plan_id == aws_backup_plan.this.id && output.role_arn == aws_iam_role.this.arn
    error_message = "plan_id and role_arn are exported."
  }
}

run "a_cluster_in_another_region_is_refused" {
  command = plan

  variables {
    cluster_arn = "arn:aws:rds:eu-central-1:123456789012:cluster:bazaar-test-db"
  }

  expect_failures = [aws_backup_selection.this]
}

run "a_malformed_cluster_arn_is_refused" {
  command = plan

  variables {
    cluster_arn = "arn:aws:rds:eu-west-1:123456789012:db:bazaar-test-db-1"
  }

  expect_failures = [var.cluster_arn]
}

run "the_role_is_assumed_by_aws_backup_for_this_account_only_under_the_boundary" {
  command = plan

  assert {
    condition = (
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com" &&
      jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012" &&
      length(jsondecode(aws_iam_role.this.assume_role_policy).Statement) == 1
    )
    error_message = "Only backup.amazonaws.com assumes the role, and only for this account."
  }

  assert {
    condition     = aws_iam_role.this.name == "bazaar-test-backup" && aws_iam_role.this.permissions_boundary == "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    error_message = "The role is <name>-backup, bounded by AWS's backup policy itself."
  }

  assert {
    condition = [for a in aws_iam_role_policy_attachment.this : a.policy_arn] == [
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    ]
    error_message = "The role carries AWS's backup policy, nothing else: it cannot restore."
  }
}

run "vault_events_go_to_the_topic" {
  command = plan

  assert {
    condition     = aws_backup_vault_notifications.this[0].sns_topic_arn == var.sns_topic_arn && aws_backup_vault_notifications.this[0].backup_vault_name == "bazaar-test"
    error_message = "The vault's events go to sns_topic_arn."
  }

  assert {
    condition     = aws_backup_vault_notifications.this[0].backup_vault_events == toset(["COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"])
    error_message = "By default: completed backup jobs (their State says FAILED), failed copies, completed restores, modified recovery points."
  }
}

run "a_deprecated_vault_event_is_refused" {
  command = plan

  variables {
    notification_events = ["BACKUP_JOB_FAILED", "COPY_JOB_FAILED"]
  }

  expect_failures = [var.notification_events]
}

run "a_fifo_topic_is_refused" {
  command = plan

  variables {
    sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms.fifo"
  }

  expect_failures = [var.sns_topic_arn]
}

run "no_vault_lock_by_default" {
  command = plan

  assert {
    condition     = length(aws_backup_vault_lock_configuration.this) == 0
    error_message = "No lock unless vault_lock is given."
  }
}

run "a_governance_lock_brackets_the_retentions" {
  command = plan

  variables {
    daily_retention_days = 90
    vault_lock           = { min_retention_days = 7, max_retention_days = 365 }
  }

  assert {
    condition = (
      aws_backup_vault_lock_configuration.this[0].backup_vault_name == "bazaar-test" &&
      aws_backup_vault_lock_configuration.this[0].min_retention_days == 7 &&
      aws_backup_vault_lock_configuration.this[0].max_retention_days == 365 &&
      aws_backup_vault_lock_configuration.this[0].changeable_for_days == null
    )
    error_message = "The lock is passed through; without changeable_for_days it is governance mode."
  }
}

run "a_retention_outside_the_lock_is_refused" {
  command = plan

  variables {
    daily_retention_days = 400
    vault_lock           = { min_retention_days = 7, max_retention_days = 365 }
  }

  expect_failures = [var.vault_lock]
}

run "a_continuous_retention_below_the_lock_minimum_is_refused" {
  command = plan

  variables {
    continuous_retention_days = 5
    vault_lock                = { min_retention_days = 7 }
  }

  expect_failures = [var.vault_lock]
}

run "a_compliance_lock_needs_a_grace_of_three_days" {
  command = plan

  variables {
    vault_lock = { min_retention_days = 7, changeable_for_days = 1 }
  }

  expect_failures = [var.vault_lock]
}

run "the_start_window_has_aws_backups_minimum" {
  command = plan

  variables {
    start_window_minutes = 30
  }

  expect_failures = [var.start_window_minutes]
}

run "the_completion_window_leaves_an_hour_after_the_start_window" {
  command = plan

  variables {
    start_window_minutes      = 120
    completion_window_minutes = 150
  }

  expect_failures = [var.completion_window_minutes]
}

run "a_name_too_long_for_a_vault_is_refused" {
  command = plan

  variables {
    name = "bazaar-a-name-that-is-much-too-long-for-a-backup-vault"
  }

  expect_failures = [var.name]
}

run "the_objective_with_continuous_backup_is_minutes" {
  command = plan

  assert {
    condition = (
      output.recovery_point_objective.protected == true &&
      output.recovery_point_objective.point_in_time_restore == true &&
      output.recovery_point_objective.in_region_minutes == 5 &&
      output.recovery_point_objective.restorable_days == 35 &&
      output.recovery_point_objective.cross_region_minutes == null
    )
    error_message = "Continuous backup: about 5 minutes, 35 days back, no second region without a copy."
  }
}

run "the_objective_reaches_back_as_far_as_the_longest_rule" {
  command = plan

  variables {
    daily_retention_days = 90
  }

  assert {
    condition     = output.recovery_point_objective.restorable_days == 90
    error_message = "Daily snapshots kept 90 days reach back 90 days (to a day's granularity)."
  }
}

# The emulator switches (README "On moto").
run "emulator_switches_leave_out_what_moto_lacks_and_promise_nothing" {
  command = plan

  variables {
    attach_aws_managed_policies = false
    enable_selection            = false
    enable_vault_notifications  = false
  }

  assert {
    condition = (
      length(aws_iam_role_policy_attachment.this) == 0 &&
      length(aws_backup_selection.this) == 0 &&
      length(aws_backup_vault_notifications.this) == 0 &&
      aws_iam_role.this.permissions_boundary == null
    )
    error_message = "Each switch removes exactly its resource."
  }

  assert {
    condition     = output.recovery_point_objective.protected == false && output.recovery_point_objective.in_region_minutes == null && output.recovery_point_objective.point_in_time_restore == false
    error_message = "Without a selection nothing is backed up, and the objective says so."
  }
}

run "failed_backup_jobs_and_only_those_reach_the_topic" {
  command = plan

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.backup_failed.event_pattern) == {
      source        = ["aws.backup"]
      "detail-type" = ["Backup Job State Change"]
      detail        = { backupVaultName = ["bazaar-test"], state = ["FAILED", "ABORTED", "EXPIRED"] }
    }
    error_message = "The rule matches this vault's failed, aborted and expired backup jobs."
  }

  assert {
    condition     = aws_cloudwatch_event_target.backup_failed.arn == var.sns_topic_arn
    error_message = "Failed jobs go to the alarm topic."
  }
}
