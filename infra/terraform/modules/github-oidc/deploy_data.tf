# The deploy role's rights on the platform's data and messaging (modules/
# database, messaging, the log groups and keys of every module): the Aurora
# cluster <prefix>-db and its pieces, the secrets <prefix>/*, the KMS keys
# and aliases (the operations and audit keys too), the queues, bus, rules
# (and the default bus's <prefix>-*) and alarms, the log groups. Secret
# values are never the deploy role's: it creates, describes, tags and
# deletes secrets, and the database bootstrap tasks write their values.

locals {
  deploy_data = {
    for environment, platform in local.platform : environment => [
      {
        Sid    = "OwnDatabase"
        Effect = "Allow"
        Action = [
          "rds:AddTagsToResource",
          "rds:CreateDBCluster",
          "rds:CreateDBClusterParameterGroup",
          "rds:CreateDBClusterSnapshot",
          "rds:CreateDBInstance",
          "rds:CreateDBSubnetGroup",
          "rds:DeleteDBCluster",
          "rds:DeleteDBClusterParameterGroup",
          "rds:DeleteDBInstance",
          "rds:DeleteDBSubnetGroup",
          "rds:ModifyDBCluster",
          "rds:ModifyDBClusterParameterGroup",
          "rds:ModifyDBInstance",
          "rds:ModifyDBSubnetGroup",
          "rds:RemoveTagsFromResource",
        ]
        Resource = [
          "${platform.rds}:cluster:${platform.prefix}-*",
          "${platform.rds}:db:${platform.prefix}-*",
          "${platform.rds}:subgrp:${platform.prefix}-*",
          "${platform.rds}:cluster-pg:${platform.prefix}-*",
          # The final snapshot a deletion takes (<prefix>-db-final).
          "${platform.rds}:cluster-snapshot:${platform.prefix}-*",
        ]
      },
      {
        # A cluster and its instances also name RDS's default option and
        # parameter groups; they are read, never changed.
        Sid      = "UseDefaultDatabaseGroups"
        Effect   = "Allow"
        Action   = ["rds:CreateDBCluster", "rds:CreateDBInstance", "rds:ModifyDBCluster", "rds:ModifyDBInstance"]
        Resource = ["${platform.rds}:og:default:*", "${platform.rds}:pg:default.*"]
      },
      {
        # UpdateSecret is how a secret's description or key changes. IAM
        # cannot tell that call from one carrying a value; Terraform never
        # sends one (the secrets have no aws_secretsmanager_secret_version).
        Sid    = "OwnSecretsWithoutTheirValues"
        Effect = "Allow"
        Action = [
          "secretsmanager:CreateSecret",
          "secretsmanager:DeleteSecret",
          "secretsmanager:DescribeSecret",
          "secretsmanager:TagResource",
          "secretsmanager:UntagResource",
          "secretsmanager:UpdateSecret",
        ]
        Resource = ["${platform.secrets}:${platform.prefix}/*"]
      },
      {
        # manage_master_user_password: RDS creates, tags and rotates the
        # master secret in the caller's name, as rds!cluster-<uuid>; the name
        # carries no environment. The environments are kept apart by its
        # KMS key (the database's, tag-scoped below); no value is readable.
        Sid      = "MasterSecretRdsManages"
        Effect   = "Allow"
        Action   = ["secretsmanager:CreateSecret", "secretsmanager:RotateSecret", "secretsmanager:TagResource"]
        Resource = ["${platform.secrets}:rds!cluster-*"]
      },
      {
        # KMS key ARNs are generated ids: a key is created only with the
        # environment's tag (which also needs TagResource)...
        Sid       = "CreateKeysWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["kms:CreateKey", "kms:TagResource"]
        Resource  = ["*"]
        Condition = platform.request_tag
      },
      {
        # ...and administered only while it has it.
        Sid    = "OwnKeys"
        Effect = "Allow"
        Action = [
          "kms:CreateAlias",
          "kms:DeleteAlias",
          "kms:EnableKeyRotation",
          "kms:PutKeyPolicy",
          "kms:RetireGrant",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:UpdateAlias",
          "kms:UpdateKeyDescription",
        ]
        Resource  = [platform.kms_keys]
        Condition = platform.resource_tag
      },
      {
        Sid      = "OwnAliases"
        Effect   = "Allow"
        Action   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
        Resource = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:alias/${platform.prefix}-*", "arn:${local.partition}:kms:${local.region}:${local.account_id}:alias/${platform.prefix}/*"]
      },
      {
        # ECR, RDS and Secrets Manager encrypt with the environment's keys
        # through grants they make in the caller's name, for themselves only.
        Sid      = "GrantsForAwsServicesOnOwnKeys"
        Effect   = "Allow"
        Action   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
        Resource = [platform.kms_keys]
        Condition = {
          StringEquals = { "aws:ResourceTag/${var.environment_tag_key}" = environment }
          Bool         = { "kms:GrantIsForAWSResource" = "true" }
        }
      },
      {
        # The RDS-managed master secret is encrypted by Secrets Manager on
        # RDS's behalf with the database's key, in the caller's name.
        Sid      = "OwnKeysThroughRdsAndSecretsManager"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [platform.kms_keys]
        Condition = {
          StringEquals = {
            "aws:ResourceTag/${var.environment_tag_key}" = environment
            "kms:ViaService"                             = ["rds.${local.region}.${local.dns_suffix}", "secretsmanager.${local.region}.${local.dns_suffix}"]
          }
        }
      },
      {
        Sid    = "OwnQueues"
        Effect = "Allow"
        Action = [
          "sqs:CreateQueue",
          "sqs:DeleteQueue",
          "sqs:GetQueueUrl",
          "sqs:SetQueueAttributes",
          "sqs:TagQueue",
          "sqs:UntagQueue",
        ]
        Resource = [platform.sqs]
      },
      {
        Sid    = "OwnBusAndRules"
        Effect = "Allow"
        Action = [
          "events:CreateEventBus",
          "events:DeleteEventBus",
          "events:DeleteRule",
          "events:DisableRule",
          "events:EnableRule",
          "events:PutRule",
          "events:PutTargets",
          "events:RemoveTargets",
          "events:TagResource",
          "events:UntagResource",
          "events:UpdateEventBus",
        ]
        # rule/<prefix>/*: the bus's rules (the archive's Events-Archive-<prefix>
        # among them); rule/<prefix>-*: the default bus's, where AWS Config
        # reports (modules/audit's <prefix>-config-noncompliant).
        Resource = [
          "${platform.events}:event-bus/${platform.prefix}",
          "${platform.events}:rule/${platform.prefix}/*",
          "${platform.events}:rule/${platform.prefix}-*",
        ]
      },
      {
        Sid      = "OwnAlarms"
        Effect   = "Allow"
        Action   = ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
        Resource = ["${platform.alarms}:${platform.prefix}-*"]
      },
      {
        Sid    = "OwnLogGroups"
        Effect = "Allow"
        Action = [
          "logs:AssociateKmsKey",
          "logs:CreateLogGroup",
          "logs:DeleteLogGroup",
          "logs:DeleteRetentionPolicy",
          "logs:DisassociateKmsKey",
          "logs:PutRetentionPolicy",
          "logs:TagLogGroup",
          "logs:TagResource",
          "logs:UntagLogGroup",
          "logs:UntagResource",
        ]
        Resource = platform.log_groups
      },
    ]
  }
}
