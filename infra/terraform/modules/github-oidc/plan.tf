# What terraform plan refreshes, and nothing else: the describe, get and
# list calls the AWS provider makes to read every resource type of
# modules/platform (and the data sources it reads), attached to the plan role
# and, because an apply refreshes too, to the deploy role. No data-plane
# read: no S3 object, no secret value, no log event, no queue message, no
# image layer. AWS's ReadOnlyAccess would read all of those.

locals {
  platform_read = {
    for environment, platform in local.platform : environment => [
      {
        # These describe/list calls take no resource ARN (IAM accepts only
        # "*" for them) or name resources by generated ids: they return
        # configuration, never data.
        Sid    = "DescribeNetworkAndCompute"
        Effect = "Allow"
        Action = [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAddressesAttribute",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeFlowLogs",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeNatGateways",
          "ec2:DescribeNetworkAcls",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribePrefixLists",
          "ec2:DescribeRegions",
          "ec2:DescribeRouteTables",
          "ec2:DescribeSecurityGroupRules",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeTags",
          "ec2:DescribeVpcAttribute",
          "ec2:DescribeVpcEndpointServices",
          "ec2:DescribeVpcEndpoints",
          "ec2:DescribeVpcs",
          "elasticloadbalancing:DescribeCapacityReservation",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
          "ecs:DescribeClusters",
          "ecs:DescribeServices",
          "ecs:DescribeTaskDefinition",
          "ecs:ListTagsForResource",
          "application-autoscaling:DescribeScalableTargets",
          "application-autoscaling:DescribeScalingPolicies",
          "application-autoscaling:ListTagsForResource",
          "servicediscovery:GetNamespace",
          "servicediscovery:GetOperation",
          "servicediscovery:GetService",
          "servicediscovery:ListNamespaces",
          "servicediscovery:ListServices",
          "servicediscovery:ListTagsForResource",
          "route53:GetHostedZone",
          "route53:ListHostedZonesByName",
          "route53:ListResourceRecordSets",
          "acm:DescribeCertificate",
          "cloudfront:DescribeFunction",
          "cloudfront:GetDistribution",
          "cloudfront:GetFunction",
          "cloudfront:GetOriginAccessControl",
          "cloudfront:GetResponseHeadersPolicy",
          "cloudfront:ListTagsForResource",
          "sts:GetCallerIdentity",
        ]
        Resource = ["*"]
      },
      {
        # Likewise, and the configuration of the trail, AWS Config's
        # recorder, channel and rules, the backup vault and plan, the bus's
        # archive: never a log file, a configuration item, a recovery point
        # or an archived event.
        Sid    = "DescribeDataAndIdentity"
        Effect = "Allow"
        Action = [
          "rds:DescribeDBClusterParameterGroups",
          "rds:DescribeDBClusterParameters",
          "rds:DescribeDBClusterSnapshots",
          "rds:DescribeDBClusters",
          "rds:DescribeDBInstances",
          "rds:DescribeDBSubnetGroups",
          "rds:DescribeGlobalClusters",
          "rds:ListTagsForResource",
          "logs:DescribeLogGroups",
          "logs:DescribeResourcePolicies",
          "logs:ListTagsForResource",
          "logs:ListTagsLogGroup",
          "cloudwatch:DescribeAlarms",
          "cloudwatch:ListTagsForResource",
          "events:DescribeEventBus",
          "events:DescribeRule",
          "events:ListTagsForResource",
          "events:ListTargetsByRule",
          "cognito-idp:DescribeResourceServer",
          "cognito-idp:DescribeUserPool",
          "cognito-idp:DescribeUserPoolClient",
          "cognito-idp:DescribeUserPoolDomain",
          "cognito-idp:GetGroup",
          "cognito-idp:GetUserPoolMfaConfig",
          "cognito-idp:ListTagsForResource",
          "wafv2:GetLoggingConfiguration",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          "wafv2:ListTagsForResource",
          "kms:ListAliases",
          "logs:DescribeQueryDefinitions",
          "events:DescribeArchive",
          "cloudtrail:DescribeTrails",
          "cloudtrail:GetEventSelectors",
          "cloudtrail:GetTrailStatus",
          "cloudtrail:ListTags",
          "config:DescribeConfigRules",
          "config:DescribeConfigurationRecorderStatus",
          "config:DescribeConfigurationRecorders",
          "config:DescribeDeliveryChannels",
          "config:ListTagsForResource",
          "backup:DescribeBackupVault",
          "backup:GetBackupPlan",
          "backup:GetBackupSelection",
          "backup:GetBackupVaultNotifications",
          "backup:ListTags",
        ]
        Resource = ["*"]
      },
      {
        # Scoped where the configuration says more than how a resource is set
        # up: the alarm topic's subscriptions (who is paged), the budget
        # (what is spent; ViewBudget is Budgets' only read), the dashboard.
        Sid    = "ReadOwnAlertingAndBudget"
        Effect = "Allow"
        Action = [
          "budgets:ListTagsForResource",
          "budgets:ViewBudget",
          "cloudwatch:GetDashboard",
          "sns:GetSubscriptionAttributes",
          "sns:GetTopicAttributes",
          "sns:ListTagsForResource",
        ]
        Resource = [
          # The topic and its subscriptions (<topic ARN>:<id>).
          "${platform.alarm_topic}*",
          "arn:${local.partition}:budgets::${local.account_id}:budget/${platform.prefix}-*",
          "arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${platform.prefix}",
        ]
      },
      {
        Sid      = "ReadOwnQueues"
        Effect   = "Allow"
        Action   = ["sqs:GetQueueAttributes", "sqs:ListQueueTags"]
        Resource = [platform.sqs]
      },
      {
        # The secrets' metadata; their values are never readable here.
        Sid      = "DescribeOwnSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"]
        Resource = ["${platform.secrets}:${platform.prefix}/*"]
      },
      {
        # KMS key ARNs carry no name: the environment's tag scopes them.
        Sid       = "DescribeOwnKeys"
        Effect    = "Allow"
        Action    = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
        Resource  = [platform.kms_keys]
        Condition = platform.resource_tag
      },
      {
        Sid    = "DescribeOwnRepositories"
        Effect = "Allow"
        Action = [
          "ecr:DescribeImages",
          "ecr:DescribeRepositories",
          "ecr:GetLifecyclePolicy",
          "ecr:GetRepositoryPolicy",
          "ecr:ListTagsForResource",
        ]
        Resource = [platform.repository]
      },
      {
        # And AWS Config's service-linked role (modules/audit), the account's
        # one; a destroy waits on its deletion status.
        Sid    = "ReadOwnRolesAndPolicies"
        Effect = "Allow"
        Action = [
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:GetServiceLinkedRoleDeletionStatus",
          "iam:ListAttachedRolePolicies",
          "iam:ListPolicyVersions",
          "iam:ListRolePolicies",
        ]
        Resource = [platform.roles, platform.policies, local.config_service_role]
      },
      {
        # The browser app's config.json, which Terraform writes (modules/web):
        # its refresh is a HeadObject (s3:GetObject) and its tags. Every
        # browser reads it through CloudFront; the app's other files, and
        # every other object, stay unread.
        Sid      = "ReadTheWebAppsConfig"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:GetObjectTagging"]
        Resource = ["${platform.web_bucket}/config.json"]
      },
      {
        # The ALB's access log bucket, the audit buckets, the event archive
        # and the browser app's bucket: their configuration (ListBucket is
        # HeadBucket's permission), never their objects.
        Sid    = "ReadOwnBucketsConfiguration"
        Effect = "Allow"
        Action = [
          "s3:GetAccelerateConfiguration",
          "s3:GetBucketAcl",
          "s3:GetBucketCORS",
          "s3:GetBucketLogging",
          "s3:GetBucketObjectLockConfiguration",
          "s3:GetBucketOwnershipControls",
          "s3:GetBucketPolicy",
          "s3:GetBucketPublicAccessBlock",
          "s3:GetBucketRequestPayment",
          "s3:GetBucketTagging",
          "s3:GetBucketVersioning",
          "s3:GetBucketWebsite",
          "s3:GetEncryptionConfiguration",
          "s3:GetLifecycleConfiguration",
          "s3:GetReplicationConfiguration",
          "s3:ListBucket",
        ]
        Resource = concat([platform.alb_log_bucket], platform.audit_buckets, [platform.event_archive_bucket, platform.web_bucket])
      },
    ]
  }
}

resource "aws_iam_policy" "platform_read" {
  for_each = var.environments

  # Not <name>-<environment>-*: the deploy role may change policies named
  # so, and must not change its own.
  name        = "${var.name}-plan-${each.key}-platform-read"
  description = "What terraform plan of ${each.key} refreshes: describe/get/list of the platform's configuration, no data."
  policy      = jsonencode({ Version = "2012-10-17", Statement = local.platform_read[each.key] })
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "plan_platform_read" {
  for_each = var.environments

  role       = aws_iam_role.plan[each.key].name
  policy_arn = local.policy_arns.platform_read[each.key]
}

resource "aws_iam_role_policy_attachment" "deploy_platform_read" {
  for_each = var.environments

  role       = aws_iam_role.deploy[each.key].name
  policy_arn = local.policy_arns.platform_read[each.key]
}
