# Two permissions boundaries per environment.
#
# The DEPLOY boundary is attached to <name>-deploy-<env>: the outer limit of
# that role whatever policies it holds now or is given later (policy_arns).
# It allows the services the platform is made of, and denies, whatever any
# policy says: roles without the workload boundary (AWS Backup's role
# aside, which gets its own AWS policy as boundary), removing or changing a
# boundary, the pipeline's own roles and policies, the state bucket's
# configuration, secret values, data-plane reads and writes, restoring or
# deleting a backup, decryption outside the services that need it, another
# environment's tagged resources, tasks other than the database bootstraps.
#
# The WORKLOAD boundary, <name>-<env>-workload-boundary, is what every role
# the platform makes must carry (modules/platform computes its ARN): the
# most any service task, execution, database bootstrap, RDS monitoring or
# VPC flow log role of that environment may ever do. Nothing of IAM or STS.

locals {
  # The calls that give a role a policy or a boundary: iam:PermissionsBoundary
  # is the boundary the role gets (CreateRole, PutRolePermissionsBoundary) or
  # already has (the policy calls).
  role_policy_calls = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
  ]

  # Every untag call of the services the platform uses.
  untag_calls = [
    "application-autoscaling:UntagResource",
    "backup:UntagResource",
    "budgets:UntagResource",
    "cloudfront:UntagResource",
    "cloudtrail:RemoveTags",
    "cloudwatch:UntagResource",
    "cognito-idp:UntagResource",
    "config:UntagResource",
    "ec2:DeleteTags",
    "ecr:UntagResource",
    "ecs:UntagResource",
    "elasticloadbalancing:RemoveTags",
    "events:UntagResource",
    "iam:UntagPolicy",
    "iam:UntagRole",
    "kms:UntagResource",
    "logs:UntagLogGroup",
    "logs:UntagResource",
    "rds:RemoveTagsFromResource",
    "secretsmanager:UntagResource",
    "servicediscovery:UntagResource",
    "sns:UntagResource",
    "sqs:UntagQueue",
    "wafv2:UntagResource",
  ]

  deploy_boundary = {
    for environment, platform in local.platform : environment => concat(
      [
        {
          # The outer limit, service by service; the role's own policies
          # narrow it to the environment's resources.
          Sid    = "PlatformServices"
          Effect = "Allow"
          Action = [
            "acm:DescribeCertificate",
            "application-autoscaling:*",
            "backup:*",
            "backup-storage:MountCapsule",
            "budgets:*",
            "cloudfront:*",
            "cloudtrail:*",
            "cloudwatch:*",
            "cognito-idp:*",
            "config:*",
            "ec2:*",
            "ecr:*",
            "ecs:*",
            "elasticloadbalancing:*",
            "events:*",
            "kms:*",
            "logs:*",
            "rds:*",
            "route53:*",
            "secretsmanager:*",
            "servicediscovery:*",
            "sns:*",
            "sqs:*",
            "sts:GetCallerIdentity",
            "wafv2:*",
          ]
          Resource = ["*"]
        },
        {
          # And AWS Config's service-linked role (modules/audit), which the
          # environment that records makes, tags, passes and deletes.
          Sid      = "EnvironmentIam"
          Effect   = "Allow"
          Action   = ["iam:*"]
          Resource = [platform.roles, platform.policies, local.config_service_role]
        },
        {
          Sid      = "ServiceLinkedRoles"
          Effect   = "Allow"
          Action   = ["iam:CreateServiceLinkedRole"]
          Resource = ["${local.iam_arn}:role/aws-service-role/*"]
        },
        {
          # The audit buckets and the event archive themselves, not their
          # objects: the deploy role can neither read nor delete the audit
          # trail or an archived event. The browser app's files it publishes.
          Sid    = "OwnStateAndBuckets"
          Effect = "Allow"
          Action = ["s3:*"]
          Resource = concat(
            concat([platform.alb_log_bucket, "${platform.alb_log_bucket}/*"], platform.audit_buckets, [platform.event_archive_bucket, platform.web_bucket, "${platform.web_bucket}/*"]),
            lookup(local.state_resources, environment, []),
          )
        },
        {
          # Every role but one: AWS Backup's <prefix>-backup (modules/backup),
          # which the workload boundary would cut off from what AWS Backup
          # needs. A request without a boundary has no iam:PermissionsBoundary,
          # which StringNotEquals counts as not equal: denied too.
          Sid         = "NoRoleWithoutTheWorkloadBoundary"
          Effect      = "Deny"
          Action      = local.role_policy_calls
          NotResource = [platform.backup_role]
          Condition   = { StringNotEquals = { "iam:PermissionsBoundary" = platform.workload_boundary_arn } }
        },
        {
          # That role only with AWSBackupServiceRolePolicyForBackup as its
          # boundary, which caps it at that policy whatever else it were given
          # (the deploy role's own policy lets it attach that one only).
          Sid       = "NoBackupRoleWithoutItsBoundary"
          Effect    = "Deny"
          Action    = local.role_policy_calls
          Resource  = [platform.backup_role]
          Condition = { StringNotEquals = { "iam:PermissionsBoundary" = local.backup_role_policy } }
        },
        {
          Sid      = "NoBoundaryRemoval"
          Effect   = "Deny"
          Action   = ["iam:DeleteRolePermissionsBoundary"]
          Resource = ["*"]
        },
        {
          Sid    = "NoBoundaryChanges"
          Effect = "Deny"
          Action = [
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
          ]
          Resource = ["${local.iam_arn}:policy/${var.name}-*-workload-boundary"]
        },
        {
          # The plan and deploy roles, their policies and boundaries, and
          # the GitHub OIDC provider belong to the bootstrap, not to a deploy.
          Sid    = "NoPipelineChanges"
          Effect = "Deny"
          Action = ["iam:*"]
          Resource = [
            "${local.iam_arn}:role/${var.name}-deploy-*",
            "${local.iam_arn}:role/${var.name}-plan-*",
            "${local.iam_arn}:policy/${var.name}-deploy-*",
            "${local.iam_arn}:policy/${var.name}-plan-*",
            "${local.iam_arn}:oidc-provider/*",
          ]
        },
        {
          Sid      = "NoSecretValues"
          Effect   = "Deny"
          Action   = ["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"]
          Resource = ["*"]
        },
        {
          # And backups: an operator's to restore or delete, with the
          # operator's own rights (docs/disaster-recovery.md); no deploy may
          # shorten their life either.
          Sid    = "NoDataPlane"
          Effect = "Deny"
          Action = [
            "backup:DeleteRecoveryPoint",
            "backup:StartRestoreJob",
            "backup:UpdateRecoveryPointLifecycle",
            "ecs:ExecuteCommand",
            "events:PutEvents",
            "logs:FilterLogEvents",
            "logs:GetLogEvents",
            "logs:StartLiveTail",
            "logs:StartQuery",
            "sqs:DeleteMessage",
            "sqs:PurgeQueue",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
          ]
          Resource = ["*"]
        },
        {
          Sid      = "NoAccessLogReads"
          Effect   = "Deny"
          Action   = ["s3:GetObject", "s3:GetObjectVersion"]
          Resource = ["${platform.alb_log_bucket}/*"]
        },
        {
          # Decryption only through the services that need it: S3 (the
          # state), RDS and Secrets Manager (the master secret RDS manages),
          # AWS Backup (the vault's key, when the vault is made).
          Sid      = "NoDecryptOutsideTheServices"
          Effect   = "Deny"
          Action   = ["kms:Decrypt", "kms:ReEncryptFrom"]
          Resource = ["*"]
          Condition = {
            StringNotEquals = {
              "kms:ViaService" = distinct([
                "s3.${coalesce(local.state_region, local.region)}.${local.dns_suffix}",
                "s3.${local.region}.${local.dns_suffix}",
                "rds.${local.region}.${local.dns_suffix}",
                "secretsmanager.${local.region}.${local.dns_suffix}",
                "backup.${local.region}.${local.dns_suffix}",
              ])
            }
          }
        },
        {
          # No call that names tag keys (aws:TagKeys: every tag and untag
          # call, every create with tags) on a resource that carries another
          # environment's tag. Conditioned on the request, not a list of
          # calls: it covers every service the boundary allows, and keeps the
          # boundary within one policy's 6,144 characters.
          Sid      = "NoTaggingOtherEnvironments"
          Effect   = "Deny"
          Action   = ["*"]
          Resource = ["*"]
          Condition = {
            Null            = { "aws:ResourceTag/${var.environment_tag_key}" = "false", "aws:TagKeys" = "false" }
            StringNotEquals = { "aws:ResourceTag/${var.environment_tag_key}" = environment }
          }
        },
        {
          # No request may label anything as another environment's.
          Sid      = "NoOtherEnvironmentsTag"
          Effect   = "Deny"
          Action   = ["*"]
          Resource = ["*"]
          Condition = {
            Null            = { "aws:RequestTag/${var.environment_tag_key}" = "false" }
            StringNotEquals = { "aws:RequestTag/${var.environment_tag_key}" = environment }
          }
        },
        {
          Sid       = "NoRemovingTheEnvironmentTag"
          Effect    = "Deny"
          Action    = local.untag_calls
          Resource  = ["*"]
          Condition = { "ForAnyValue:StringEquals" = { "aws:TagKeys" = [var.environment_tag_key] } }
        },
        {
          Sid         = "OnlyDatabaseBootstrapTasks"
          Effect      = "Deny"
          Action      = ["ecs:RunTask", "ecs:StartTask"]
          NotResource = ["${platform.ecs}:task-definition/${platform.prefix}-*-database:*"]
        },
        {
          Sid       = "NoKeyPolicyLockout"
          Effect    = "Deny"
          Action    = ["kms:CreateKey", "kms:PutKeyPolicy"]
          Resource  = ["*"]
          Condition = { Bool = { "kms:BypassPolicyLockoutSafetyCheck" = "true" } }
        },
      ],
      [
        for bucket in local.state_bucket : {
          Sid      = "NoStateBucketConfigurationChanges"
          Effect   = "Deny"
          Action   = ["s3:DeleteBucket*", "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration"]
          Resource = [bucket]
        }
      ],
    )
  }

  workload_boundary = {
    for environment, platform in local.platform : environment => [
      {
        # Consumers receive, extend, delete and (redrive) send; the relay
        # publishes to the environment's bus.
        Sid    = "OwnQueues"
        Effect = "Allow"
        Action = [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ReceiveMessage",
          "sqs:SendMessage",
        ]
        Resource = [platform.sqs]
      },
      {
        Sid      = "OwnBus"
        Effect   = "Allow"
        Action   = ["events:PutEvents"]
        Resource = ["${platform.events}:event-bus/${platform.prefix}"]
      },
      {
        # The event archive (modules/event-archive): audit writes and reads
        # it, read models read it, each as its own task policy says; no one
        # deletes. Its key is among the environment's keys below.
        Sid      = "OwnEventArchive"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
        Resource = [platform.event_archive_bucket, "${platform.event_archive_bucket}/events/*"]
      },
      {
        # Execution roles read their DATABASE_URL; the database bootstrap
        # tasks also write them.
        Sid      = "OwnSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
        Resource = ["${platform.secrets}:${platform.prefix}/*"]
      },
      {
        # The bootstrap tasks log in as the master user. RDS names that
        # secret rds!cluster-<uuid>, without the environment: it stays the
        # environment's because it is encrypted with the database's key,
        # which only the environment's own keys statement below reaches.
        Sid      = "MasterSecretOfTheDatabase"
        Effect   = "Allow"
        Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
        Resource = ["${platform.secrets}:rds!cluster-*"]
      },
      {
        Sid       = "OwnKeys"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = [platform.kms_keys]
        Condition = platform.resource_tag
      },
      {
        # The tasks' log groups (their collectors' EMF metrics included), ECS
        # Exec session logs and the VPC flow log.
        Sid      = "OwnLogGroups"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = platform.log_groups
      },
      {
        # AmazonRDSEnhancedMonitoringRole, for the RDS monitoring role: the
        # account-wide RDSOSMetrics group RDS writes to.
        Sid    = "RdsEnhancedMonitoring"
        Effect = "Allow"
        Action = [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:DescribeLogStreams",
          "logs:GetLogEvents",
          "logs:PutLogEvents",
          "logs:PutRetentionPolicy",
        ]
        Resource = ["${local.log_group_arn}:RDS*"]
      },
      {
        Sid      = "OwnImages"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [platform.repository]
      },
      {
        # These calls take no resource ARN: IAM accepts only "*". Logins to
        # ECR, traces, the agents' log group lookup, ECS Exec. (Metrics leave
        # as EMF lines in the tasks' log groups: no PutMetricData.)
        Sid    = "TelemetryAndAgents"
        Effect = "Allow"
        Action = [
          "ecr:GetAuthorizationToken",
          "logs:DescribeLogGroups",
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
          "xray:GetSamplingRules",
          "xray:GetSamplingStatisticSummaries",
          "xray:GetSamplingTargets",
          "xray:PutTelemetryRecords",
          "xray:PutTraceSegments",
        ]
        Resource = ["*"]
      },
    ]
  }
}

resource "aws_iam_policy" "deploy_boundary" {
  for_each = var.environments

  name        = "${var.name}-deploy-${each.key}-boundary"
  description = "Permissions boundary of ${var.name}-deploy-${each.key}: the most its apply of ${each.key} may ever do."
  policy      = jsonencode({ Version = "2012-10-17", Statement = local.deploy_boundary[each.key] })
  tags        = var.tags
}

resource "aws_iam_policy" "workload_boundary" {
  for_each = var.environments

  name        = local.platform[each.key].workload_boundary_name
  description = "Permissions boundary of every role the ${each.key} platform makes: the most a task, execution, database bootstrap, monitoring or flow log role of ${each.key} may ever do."
  policy      = jsonencode({ Version = "2012-10-17", Statement = local.workload_boundary[each.key] })
  tags        = var.tags
}
