# The deploy role's rights on the platform's operations resources:
#   modules/observability: the alarm topic <prefix>-alarms and its
#     subscriptions, the dashboard <prefix>, the saved queries <prefix>/*,
#     the budget <prefix>-monthly;
#   modules/messaging: the bus's archive <prefix>;
#   modules/backup: the vault <prefix> (lock, notifications), the plan
#     <prefix> and its selection <prefix>-aurora;
#   modules/audit: the buckets <prefix>-audit-<account> and
#   <prefix>-config-<account>, the trail
#     <prefix>-audit, AWS Config's recorder and delivery channel <prefix>,
#     its rules <prefix>-* and its service-linked role;
#   modules/event-archive: the bucket <prefix>-event-archive-<account>.
# Elsewhere: their alarms (<prefix>-*), the compliance rule on the default
# bus, KMS keys (by tag) and aliases are the data part's statements; the
# backup role <prefix>-backup is the identity part's. Nothing here reads or
# deletes a backup, an audit object or an archived event, nor starts a
# restore: those are an operator's, with the operator's own rights.

locals {
  deploy_operations = {
    for environment, platform in local.platform : environment => [
      {
        # The topic and its subscriptions, whose ARNs are the topic's
        # followed by :<id>.
        Sid    = "OwnAlarmTopic"
        Effect = "Allow"
        Action = [
          "sns:CreateTopic",
          "sns:DeleteTopic",
          "sns:SetSubscriptionAttributes",
          "sns:SetTopicAttributes",
          "sns:Subscribe",
          "sns:TagResource",
          "sns:Unsubscribe",
          "sns:UntagResource",
        ]
        Resource = ["${platform.alarm_topic}*"]
      },
      {
        # Dashboards are global: their ARN has no region.
        Sid      = "OwnDashboard"
        Effect   = "Allow"
        Action   = ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"]
        Resource = ["arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${platform.prefix}"]
      },
      {
        # Saved Logs Insights queries (<prefix>/<query>) have no ARN: IAM
        # accepts only "*" for them. They hold query text, no log data.
        Sid      = "SavedQueriesHaveNoResourceLevelPermission"
        Effect   = "Allow"
        Action   = ["logs:DeleteQueryDefinition", "logs:PutQueryDefinition"]
        Resource = ["*"]
      },
      {
        # ModifyBudget creates, changes and deletes a budget and its
        # notifications. Budgets are global: no region.
        Sid      = "OwnBudget"
        Effect   = "Allow"
        Action   = ["budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"]
        Resource = ["arn:${local.partition}:budgets::${local.account_id}:budget/${platform.prefix}-*"]
      },
      {
        # An archive is named like its bus, and CreateArchive also names the
        # bus it archives. The rule EventBridge then keeps on that bus
        # (Events-Archive-<prefix>) is within rule/<prefix>/* of the data part.
        Sid      = "OwnEventArchive"
        Effect   = "Allow"
        Action   = ["events:CreateArchive", "events:DeleteArchive", "events:UpdateArchive"]
        Resource = ["${platform.events}:archive/${platform.prefix}", "${platform.events}:event-bus/${platform.prefix}"]
      },
      {
        # No DeleteRecoveryPoint, no StartRestoreJob (see above): a vault
        # that holds recovery points is an operator's to empty.
        Sid    = "OwnBackupVault"
        Effect = "Allow"
        Action = [
          "backup:CreateBackupVault",
          "backup:DeleteBackupVault",
          "backup:DeleteBackupVaultLockConfiguration",
          "backup:DeleteBackupVaultNotifications",
          "backup:PutBackupVaultLockConfiguration",
          "backup:PutBackupVaultNotifications",
          "backup:TagResource",
          "backup:UntagResource",
        ]
        Resource = ["${platform.backup}:backup-vault:${platform.prefix}"]
      },
      {
        # CreateBackupVault also needs these (AWS Backup developer guide,
        # "Backup vault creation"): MountCapsule has no resource-level
        # permission, and the key is used through AWS Backup only.
        Sid      = "BackupVaultStorageHasNoResourceLevelPermission"
        Effect   = "Allow"
        Action   = ["backup-storage:MountCapsule"]
        Resource = ["*"]
      },
      {
        Sid      = "OwnKeysThroughAwsBackup"
        Effect   = "Allow"
        Action   = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [platform.kms_keys]
        Condition = {
          StringEquals = {
            "aws:ResourceTag/${var.environment_tag_key}" = environment
            "kms:ViaService"                             = "backup.${local.region}.${local.dns_suffix}"
          }
        }
      },
      {
        # A plan's ARN carries a generated id: created only with the
        # environment's tag, changed (its selection too) only while it has it.
        Sid       = "CreateBackupPlansWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["backup:CreateBackupPlan", "backup:TagResource"]
        Resource  = ["${platform.backup}:backup-plan:*"]
        Condition = platform.request_tag
      },
      {
        Sid    = "OwnBackupPlans"
        Effect = "Allow"
        Action = [
          "backup:CreateBackupSelection",
          "backup:DeleteBackupPlan",
          "backup:DeleteBackupSelection",
          "backup:TagResource",
          "backup:UntagResource",
          "backup:UpdateBackupPlan",
        ]
        Resource  = ["${platform.backup}:backup-plan:*"]
        Condition = platform.resource_tag
      },
      {
        # A bucket made with object lock needs PutBucketObjectLockConfiguration
        # and PutBucketVersioning at CreateBucket already.
        Sid      = "OwnAuditBucket"
        Effect   = "Allow"
        Action   = concat(local.bucket_calls, ["s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration"])
        Resource = platform.audit_buckets
      },
      {
        # The event archive: made with object lock too. Its objects are
        # audit's to write and nobody's to delete: nothing here touches them.
        Sid      = "OwnEventArchiveBucket"
        Effect   = "Allow"
        Action   = concat(local.bucket_calls, ["s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration"])
        Resource = [platform.event_archive_bucket]
      },
      {
        Sid    = "OwnTrail"
        Effect = "Allow"
        Action = [
          "cloudtrail:AddTags",
          "cloudtrail:CreateTrail",
          "cloudtrail:DeleteTrail",
          "cloudtrail:PutEventSelectors",
          "cloudtrail:RemoveTags",
          "cloudtrail:StartLogging",
          "cloudtrail:StopLogging",
          "cloudtrail:UpdateTrail",
        ]
        Resource = [platform.trail]
      },
      {
        # A recorder's ARN is configuration-recorder/<name>/<generated id>.
        Sid    = "OwnConfigRecorder"
        Effect = "Allow"
        Action = [
          "config:DeleteConfigurationRecorder",
          "config:PutConfigurationRecorder",
          "config:StartConfigurationRecorder",
          "config:StopConfigurationRecorder",
        ]
        Resource = ["${platform.config}:configuration-recorder/${platform.prefix}/*"]
      },
      {
        # Delivery channels have no resource-level permission: IAM accepts
        # only "*". A region holds one per account (modules/audit's
        # manage_config_recorder says which environment makes it).
        Sid      = "ConfigDeliveryChannelHasNoResourceLevelPermission"
        Effect   = "Allow"
        Action   = ["config:DeleteDeliveryChannel", "config:PutDeliveryChannel"]
        Resource = ["*"]
      },
      {
        # A rule's ARN is config-rule/config-rule-<generated id>, without its
        # name: created only with the environment's tag, changed and deleted
        # only while it has it.
        Sid       = "CreateConfigRulesWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["config:PutConfigRule", "config:TagResource"]
        Resource  = ["${platform.config}:config-rule/*"]
        Condition = platform.request_tag
      },
      {
        Sid       = "OwnConfigRules"
        Effect    = "Allow"
        Action    = ["config:DeleteConfigRule", "config:PutConfigRule", "config:TagResource", "config:UntagResource"]
        Resource  = ["${platform.config}:config-rule/*"]
        Condition = platform.resource_tag
      },
      {
        # modules/audit's recorder records with AWS Config's service-linked
        # role (no boundary, AWS's own policy): created for Config only.
        Sid       = "ConfigServiceLinkedRole"
        Effect    = "Allow"
        Action    = ["iam:CreateServiceLinkedRole"]
        Resource  = [local.config_service_role]
        Condition = { StringEquals = { "iam:AWSServiceName" = "config.amazonaws.com" } }
      },
      {
        # That role is the account's, not an environment's: the environment
        # that makes it tags it as its own (the deploy boundary refuses a
        # retag of another environment's), and only a role of that
        # environment may untag or delete it.
        Sid       = "TagTheConfigServiceLinkedRole"
        Effect    = "Allow"
        Action    = ["iam:TagRole"]
        Resource  = [local.config_service_role]
        Condition = platform.request_tag
      },
      {
        Sid       = "OwnConfigServiceLinkedRole"
        Effect    = "Allow"
        Action    = ["iam:DeleteServiceLinkedRole", "iam:UntagRole"]
        Resource  = [local.config_service_role]
        Condition = platform.resource_tag
      },
      {
        # PutConfigurationRecorder hands the role to Config: AWS's own
        # policies for that call (AWSSystemsManagerEnableConfigRecording-
        # ExecutionPolicy) grant this PassRole too.
        Sid       = "PassConfigServiceLinkedRoleToConfig"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = [local.config_service_role]
        Condition = { StringEquals = { "iam:PassedToService" = "config.amazonaws.com" } }
      },
    ]
  }
}
