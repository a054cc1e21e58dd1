# terraform test: what the plan and deploy roles may do on the platform.
# The plan role reads configuration and its own state, nothing else; the
# deploy role holds explicit actions only, scoped to its environment by name
# or tag, creates roles only under the workload boundary, and never reads
# or writes a secret value.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev     = {}
    staging = { promotes_from = "dev", load_test_users = true }
    prod    = { promotes_from = "staging" }
  }
  state = {
    bucket_arn  = "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

run "a_plan_role_reads_and_never_writes" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for policies in values(output.plan_policies) : [
        for document in values(policies) : [
          for statement in jsondecode(document).Statement : [
            for action in statement.Action :
            statement.Effect == "Allow" && (can(regex("^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$", action)) || contains(["kms:Decrypt", "budgets:ViewBudget"], action))
          ]
        ]
      ]
    ]))
    error_message = "Every action of a plan role is a Describe, Get or List call (and kms:Decrypt of the state, budgets:ViewBudget, Budgets' only read): no write action."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for policies in values(output.plan_policies) : [for document in values(policies) : [for statement in jsondecode(document).Statement : statement.Action]]])),
      toset([
        "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion",
        "kms:Encrypt", "kms:GenerateDataKey", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "logs:GetLogEvents",
        "logs:FilterLogEvents", "sqs:ReceiveMessage", "cognito-idp:ListUsers", "cognito-idp:AdminGetUser",
      ]),
    )) == 0
    error_message = "No plan role reads data: no secret value, no state write, no image layer, no log event, no message, no user."
  }

  assert {
    condition = alltrue(flatten([
      for policies in values(output.plan_policies) : [
        for document in values(policies) : [for statement in jsondecode(document).Statement : [for action in statement.Action : !strcontains(action, "*")]]
      ]
    ]))
    error_message = "A plan role's actions are listed one by one (a curated list, not AWS's ReadOnlyAccess nor a Get* wildcard)."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      toset([for statement in flatten([for document in values(output.plan_policies[environment]) : jsondecode(document).Statement]) : statement.Resource if contains(statement.Action, "s3:GetObject")]) == toset([
        ["arn:aws:s3:::bazaar-${environment}-web-123456789012/config.json"],
        ["arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/envs/${environment}/terraform.tfstate"],
      ])
    ])
    error_message = "The only S3 objects a plan role reads are its own environment's state and the browser app's config.json (Terraform's, and public through CloudFront)."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.plan_policies["prod"]["terraform-state-read"]).Statement : statement if contains(statement.Action, "kms:Decrypt")
      ]) == {
      Sid       = "DecryptStateThroughS3"
      Effect    = "Allow"
      Action    = ["kms:Decrypt"]
      Resource  = ["arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"]
      Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
    }
    error_message = "A plan role decrypts only the state key, only through S3."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement :
      statement.Resource == ["*"] || try(statement.Condition, null) == { StringEquals = { "aws:ResourceTag/environment" = "dev" } } || alltrue([
        for resource in statement.Resource :
        strcontains(resource, "bazaar-dev") || resource == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
      ])
    ])
    error_message = "Where IAM scopes reads, a plan role reads only its environment's resources (by name, or by tag for KMS keys), and AWS Config's service-linked role, the account's one."
  }

  assert {
    condition     = length(aws_iam_role_policy.isolation) == 3 && alltrue([for policy in aws_iam_role_policy.isolation : startswith(policy.role, "bazaar-deploy-")])
    error_message = "Plan roles hold no write, so they need no deny policy; the deploy roles keep theirs."
  }
}

run "the_deploy_role_holds_explicit_actions_only" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for environment in ["dev", "staging", "prod"] : [
        for document in concat(values(output.deploy_policies[environment]), values(output.inline_policies[environment])) : [
          for statement in jsondecode(document).Statement : [
            for action in statement.Action : !strcontains(action, "*") if statement.Effect == "Allow"
          ]
        ]
      ]
    ]))
    error_message = "No allowed action of a deploy role is \"*\" or a wildcard."
  }

  assert {
    condition     = !strcontains(jsonencode(output.deploy_policies), "AdministratorAccess") && !strcontains(jsonencode(output.inline_policies), "AdministratorAccess")
    error_message = "No AdministratorAccess anywhere."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for environment in ["dev", "staging", "prod"] : [for document in values(output.deploy_policies[environment]) : [for statement in jsondecode(document).Statement : statement.Action if statement.Effect == "Allow"]]])),
      toset(["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage", "ecs:ExecuteCommand", "iam:DeleteRolePermissionsBoundary"]),
    )) == 0
    error_message = "A deploy role never reads or writes a secret value (the database bootstrap tasks write them), never execs into a task, never removes a boundary."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : alltrue([
        for name in keys(output.deploy_policies[environment]) : (startswith(name, "bazaar-deploy-${environment}-") || name == "bazaar-plan-${environment}-platform-read")
      ])
    ])
    error_message = "The module's policies are named <name>-deploy-<env>-<part> (or the plan role's read policy), outside the <name>-<env>-* policies a deploy role may manage."
  }

  assert {
    condition = alltrue([
      for document in values(output.deploy_policies["dev"]) : !strcontains(document, "staging") && !strcontains(document, "prod")
    ])
    error_message = "dev's platform policies name nothing of staging or prod."
  }
}

run "the_deploy_role_is_scoped_to_its_environment" {
  command = apply

  assert {
    # Every allowed resource carries the environment's prefix, or its
    # statement is conditioned (on the environment's tag, a service, a
    # boundary), or it is one of the calls AWS gives no resource-level
    # permission or name to, each said in its statement, or AWS Config's
    # service-linked role (the account's one; read, or conditioned).
    condition = alltrue(flatten([
      for name, document in output.deploy_policies["dev"] : [
        for statement in jsondecode(document).Statement : [
          for resource in statement.Resource :
          strcontains(resource, "bazaar-dev") || can(statement.Condition) ||
          resource == "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" || contains([
            "DescribeNetworkAndCompute", "DescribeDataAndIdentity", "RulesOfOwnSecurityGroups", "OwnWebAcl",
            "WafLogDeliveryHasNoResourceLevelPermission", "HostedZoneOfTheNamespace", "UseDefaultDatabaseGroups",
            "MasterSecretRdsManages", "EndpointsToAwsServices", "FargateCapacityProviders",
            "SavedQueriesHaveNoResourceLevelPermission", "BackupVaultStorageHasNoResourceLevelPermission",
            "ConfigDeliveryChannelHasNoResourceLevelPermission", "WebOriginAccessAndHeadersPoliciesHaveNoNameOrTag",
          ], statement.Sid)
        ] if statement.Effect == "Allow"
      ]
    ]))
    error_message = "Every resource of dev's deploy policies is bazaar-dev's, tag- or condition-scoped, or a documented exception."
  }

  assert {
    condition = alltrue(flatten([
      for document in values(output.deploy_policies["dev"]) : [
        for statement in jsondecode(document).Statement : [
          for test, conditions in try(statement.Condition, {}) : [
            for key, value in conditions : value == "dev" if test == "StringEquals" && (startswith(key, "aws:RequestTag/") || startswith(key, "aws:ResourceTag/"))
          ]
        ]
      ]
    ]))
    error_message = "Every tag condition of dev's policies names dev (the Null test of the default security group's adoption aside)."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-compute"]).Statement : statement if contains(statement.Action, "ecs:RunTask")
      ]) == {
      Sid       = "RunDatabaseBootstrapTasks"
      Effect    = "Allow"
      Action    = ["ecs:RunTask"]
      Resource  = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/bazaar-dev-*-database:*"]
      Condition = { ArnEquals = { "ecs:cluster" = "arn:aws:ecs:eu-west-1:123456789012:cluster/bazaar-dev" } }
    }
    error_message = "The deploy role runs only the database bootstrap task definitions, in its own cluster."
  }

  assert {
    condition = alltrue([
      for statement in flatten([for document in values(output.deploy_policies["dev"]) : jsondecode(document).Statement]) :
      try(statement.Condition.StringEquals["iam:PassedToService"], "") == "ecs-tasks.amazonaws.com" || statement.Resource == [
        "arn:aws:iam::123456789012:role/bazaar-dev-vpc-flow-log",
        "arn:aws:iam::123456789012:role/bazaar-dev-db-monitoring",
        ] || (statement.Resource == ["arn:aws:iam::123456789012:role/bazaar-dev-backup"] && try(statement.Condition, null) == {
          StringEquals = { "iam:PassedToService" = "backup.amazonaws.com" }
          }) || (statement.Resource == ["arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"] && try(statement.Condition, null) == {
          StringEquals = { "iam:PassedToService" = "config.amazonaws.com" }
      }) if contains(statement.Action, "iam:PassRole")
    ])
    error_message = "iam:PassRole hands the environment's task, execution and bootstrap roles to ECS tasks only, the two delivery roles by name, the backup role to AWS Backup only and Config's service-linked role to Config only."
  }

  assert {
    condition = alltrue([
      for statement in flatten([for document in values(output.deploy_policies["dev"]) : jsondecode(document).Statement]) :
      statement.Resource == [
        "arn:aws:iam::123456789012:role/bazaar-dev-*-task",
        "arn:aws:iam::123456789012:role/bazaar-dev-*-execution",
        "arn:aws:iam::123456789012:role/bazaar-dev-*-database",
      ] if try(statement.Condition.StringEquals["iam:PassedToService"], "") == "ecs-tasks.amazonaws.com"
    ])
    error_message = "The roles passed to ECS tasks are the environment's task, execution and database bootstrap roles."
  }

  assert {
    condition = (
      strcontains(output.deploy_policies["staging"]["bazaar-deploy-staging-identity"], "cognito-idp:AdminCreateUser") &&
      !strcontains(output.deploy_policies["dev"]["bazaar-deploy-dev-identity"], "cognito-idp:AdminCreateUser") &&
      !strcontains(output.deploy_policies["prod"]["bazaar-deploy-prod-identity"], "cognito-idp:AdminCreateUser") &&
      one([for statement in jsondecode(output.deploy_policies["staging"]["bazaar-deploy-staging-identity"]).Statement : statement if statement.Sid == "LoadTestUsers"]).Condition == { StringEquals = { "aws:ResourceTag/environment" = "staging" } }
    )
    error_message = "Only an environment with load_test_users manages users, of its own pool only."
  }
}

run "roles_are_created_and_changed_only_with_the_workload_boundary" {
  command = apply

  assert {
    # The one exception, the backup role: see the next run.
    condition = alltrue(flatten([
      for environment in ["dev", "staging", "prod"] : [
        for statement in flatten([for document in values(output.deploy_policies[environment]) : jsondecode(document).Statement]) :
        statement.Condition.StringEquals["iam:PermissionsBoundary"] == (
          statement.Resource == ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"]
          ? "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
          : "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary"
        )
        if statement.Effect == "Allow" && length(setintersection(toset(statement.Action), toset(["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy"]))) > 0
      ]
    ]))
    error_message = "Every allowed role creation, boundary or policy change requires the environment's workload boundary (iam:PermissionsBoundary), the backup role's its AWS policy."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      [for statement in flatten([for document in values(output.deploy_policies[environment]) : jsondecode(document).Statement]) : statement.Resource if contains(statement.Action, "iam:CreateRole")] == [
        ["arn:aws:iam::123456789012:role/bazaar-${environment}-*"],
        ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"],
      ]
    ])
    error_message = "iam:CreateRole is granted in two statements: the workload-bounded one, and the backup role's."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      contains([
        for statement in jsondecode(output.deploy_policies[environment]["bazaar-deploy-${environment}-identity"]).Statement : statement.Sid
        if statement.Effect == "Deny" && statement.Action == ["iam:DeleteRolePermissionsBoundary"] && statement.Resource == ["*"]
      ], "NeverRemoveABoundary")
    ])
    error_message = "A deploy role's own policy denies removing any permissions boundary."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : anytrue([
        for statement in jsondecode(output.deploy_policies[environment]["bazaar-deploy-${environment}-identity"]).Statement :
        statement.Effect == "Deny" && contains(statement.Action, "iam:CreatePolicyVersion") && contains(statement.Action, "iam:DeletePolicy") &&
        contains(statement.Resource, "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary")
      ])
    ])
    error_message = "A deploy role's own policy denies changing or deleting its workload boundary."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      aws_iam_role.deploy[environment].permissions_boundary == "arn:aws:iam::123456789012:policy/bazaar-deploy-${environment}-boundary" &&
      output.workload_boundary_arns[environment] == "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary" &&
      aws_iam_policy.workload_boundary[environment].name == "bazaar-${environment}-workload-boundary"
    ])
    error_message = "The deploy role carries its deploy boundary; the workload boundary is bazaar-<env>-workload-boundary, the ARN the platform computes."
  }
}

run "the_operations_resources_the_deploy_role_reaches_are_its_environments" {
  command = apply

  assert {
    condition = {
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement : statement.Sid => statement.Resource
      if !can(statement.Condition) && statement.Resource != ["*"]
      } == {
      OwnAlarmTopic         = ["arn:aws:sns:eu-west-1:123456789012:bazaar-dev-alarms*"]
      OwnDashboard          = ["arn:aws:cloudwatch::123456789012:dashboard/bazaar-dev"]
      OwnBudget             = ["arn:aws:budgets::123456789012:budget/bazaar-dev-*"]
      OwnEventArchive       = ["arn:aws:events:eu-west-1:123456789012:archive/bazaar-dev", "arn:aws:events:eu-west-1:123456789012:event-bus/bazaar-dev"]
      OwnBackupVault        = ["arn:aws:backup:eu-west-1:123456789012:backup-vault:bazaar-dev"]
      OwnAuditBucket        = ["arn:aws:s3:::bazaar-dev-audit-123456789012", "arn:aws:s3:::bazaar-dev-config-123456789012"]
      OwnEventArchiveBucket = ["arn:aws:s3:::bazaar-dev-event-archive-123456789012"]
      OwnTrail              = ["arn:aws:cloudtrail:eu-west-1:123456789012:trail/bazaar-dev-audit"]
      OwnConfigRecorder     = ["arn:aws:config:eu-west-1:123456789012:configuration-recorder/bazaar-dev/*"]
    }
    error_message = "dev's operations part names dev's topic, dashboard, budget, archive, vault, audit bucket, event archive bucket, trail and recorder, and no other name."
  }

  assert {
    condition = toset([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement : statement.Sid if statement.Resource == ["*"]
      ]) == toset([
      "SavedQueriesHaveNoResourceLevelPermission", "BackupVaultStorageHasNoResourceLevelPermission", "ConfigDeliveryChannelHasNoResourceLevelPermission",
    ])
    error_message = "Only the calls IAM gives no resource (saved queries, AWS Backup's storage, Config's delivery channel) are on \"*\"."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement :
      contains([
        { StringEquals = { "aws:RequestTag/environment" = "dev" } },
        { StringEquals = { "aws:ResourceTag/environment" = "dev" } },
      ], statement.Condition)
      if anytrue([for resource in statement.Resource : endswith(resource, ":backup-plan:*") || endswith(resource, ":config-rule/*")])
    ])
    error_message = "Backup plans and Config rules, whose ARNs carry generated ids, are created only with dev's tag and changed only while they have it."
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement : [
        for action in statement.Action : !contains([
          "backup:DeleteRecoveryPoint", "backup:StartRestoreJob", "s3:GetObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject",
          "sns:Publish", "cloudtrail:LookupEvents", "logs:StartQuery",
        ], action)
      ]
    ]))
    error_message = "The deploy role neither deletes nor restores a backup, reads or deletes an audit object, publishes an alarm nor reads the trail."
  }

  assert {
    condition = contains(one([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-data"]).Statement : statement.Resource if statement.Sid == "OwnBusAndRules"
    ]), "arn:aws:events:eu-west-1:123456789012:rule/bazaar-dev-*")
    error_message = "The compliance alert's rule on the default bus is dev's by name (rule/bazaar-dev-*)."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement : statement if statement.Sid == "OwnKeysThroughAwsBackup"
      ]).Condition == {
      StringEquals = { "aws:ResourceTag/environment" = "dev", "kms:ViaService" = "backup.eu-west-1.amazonaws.com" }
    }
    error_message = "The backup vault's key is used for the deploy role only through AWS Backup, and only dev's keys."
  }
}

run "the_deploy_role_publishes_its_own_web_app_and_invalidates_only_its_own_distribution" {
  command = apply

  assert {
    condition = {
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-edge"]).Statement : statement.Sid => {
        action    = toset(statement.Action)
        resource  = statement.Resource
        condition = try(statement.Condition, null)
      } if strcontains(jsonencode(statement.Resource), "-web-") || strcontains(jsonencode(statement.Action), "cloudfront:")
      } == {
      OwnWebBucket = {
        action    = toset(["s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"])
        resource  = ["arn:aws:s3:::bazaar-dev-web-123456789012"]
        condition = null
      }
      PublishWebApp = {
        action    = toset(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "s3:PutObject", "s3:PutObjectTagging"])
        resource  = ["arn:aws:s3:::bazaar-dev-web-123456789012", "arn:aws:s3:::bazaar-dev-web-123456789012/*"]
        condition = null
      }
      CreateWebDistributionWithEnvironmentTag = {
        action    = toset(["cloudfront:CreateDistribution", "cloudfront:TagResource"])
        resource  = ["arn:aws:cloudfront::123456789012:distribution/*"]
        condition = { StringEquals = { "aws:RequestTag/environment" = "dev" } }
      }
      OwnWebDistribution = {
        action    = toset(["cloudfront:CreateInvalidation", "cloudfront:DeleteDistribution", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateDistribution"])
        resource  = ["arn:aws:cloudfront::123456789012:distribution/*"]
        condition = { StringEquals = { "aws:ResourceTag/environment" = "dev" } }
      }
      OwnWebFunction = {
        action    = toset(["cloudfront:CreateFunction", "cloudfront:DeleteFunction", "cloudfront:PublishFunction", "cloudfront:UpdateFunction"])
        resource  = ["arn:aws:cloudfront::123456789012:function/bazaar-dev-*"]
        condition = null
      }
      WebOriginAccessAndHeadersPoliciesHaveNoNameOrTag = {
        action    = toset(["cloudfront:CreateOriginAccessControl", "cloudfront:CreateResponseHeadersPolicy", "cloudfront:DeleteOriginAccessControl", "cloudfront:DeleteResponseHeadersPolicy", "cloudfront:UpdateOriginAccessControl", "cloudfront:UpdateResponseHeadersPolicy"])
        resource  = ["arn:aws:cloudfront::123456789012:origin-access-control/*", "arn:aws:cloudfront::123456789012:response-headers-policy/*"]
        condition = null
      }
    }
    error_message = "dev's deploy role makes and publishes dev's web bucket only, and makes, changes and invalidates only distributions tagged dev (modules/web's deployer_policy_json, and what Terraform needs besides)."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : (
        strcontains(output.boundary_policies[environment].deploy, "\"cloudfront:*\"") &&
        strcontains(output.boundary_policies[environment].deploy, "\"arn:aws:s3:::bazaar-${environment}-web-123456789012/*\"")
      )
    ])
    error_message = "The deploy boundary admits CloudFront and the browser app's files (the release publishes them)."
  }

  assert {
    condition = contains(one([
      for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Resource
      if contains(statement.Action, "s3:GetBucketPolicy")
    ]), "arn:aws:s3:::bazaar-dev-web-123456789012")
    error_message = "terraform plan can refresh the web bucket's configuration (never its files but config.json)."
  }

  assert {
    condition = length(setsubtract(toset([
      "cloudfront:GetDistribution", "cloudfront:GetOriginAccessControl", "cloudfront:GetResponseHeadersPolicy",
      "cloudfront:DescribeFunction", "cloudfront:GetFunction", "cloudfront:ListTagsForResource",
      ]), toset(flatten([
        for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Action
    ])))) == 0
    error_message = "terraform plan can refresh the distribution, its origin access control, headers policy and function."
  }
}

run "the_backup_role_is_the_one_role_without_the_workload_boundary" {
  command = apply

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : [
        for statement in flatten([for document in values(output.deploy_policies[environment]) : jsondecode(document).Statement]) :
        { Action = statement.Action, Condition = try(statement.Condition, null) }
        if statement.Resource == ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"]
        ] == [
        {
          Action    = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
          Condition = { StringEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" } }
        },
        {
          Action = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
          Condition = {
            StringEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" }
            ArnEquals    = { "iam:PolicyARN" = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" }
          }
        },
        {
          Action    = ["iam:PassRole"]
          Condition = { StringEquals = { "iam:PassedToService" = "backup.amazonaws.com" } }
        },
      ]
    ])
    error_message = "The backup role is created only with AWSBackupServiceRolePolicyForBackup as its boundary, attached only that policy, and passed only to AWS Backup; nothing else names it."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : alltrue([
        for statement in flatten([for document in values(output.deploy_policies[environment]) : jsondecode(document).Statement]) :
        try(statement.Condition.StringEquals["iam:PermissionsBoundary"], "") == "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary"
        if statement.Effect == "Allow" && length(setintersection(toset(statement.Action), toset(["iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRolePermissionsBoundary"]))) > 0
      ])
    ])
    error_message = "No inline policy and no boundary removal for the backup role: inline policies only on workload-bounded roles."
  }
}

run "aws_config_is_the_only_new_service_linked_role" {
  command = apply

  assert {
    condition = [
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement : statement
      if contains(statement.Action, "iam:CreateServiceLinkedRole")
      ] == [{
        Sid       = "ConfigServiceLinkedRole"
        Effect    = "Allow"
        Action    = ["iam:CreateServiceLinkedRole"]
        Resource  = ["arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"]
        Condition = { StringEquals = { "iam:AWSServiceName" = "config.amazonaws.com" } }
    }]
    error_message = "The operations part creates one service-linked role, AWS Config's, for config.amazonaws.com only."
  }

  assert {
    condition = alltrue([
      for statement in flatten([for document in values(output.deploy_policies["dev"]) : jsondecode(document).Statement]) :
      can(statement.Condition.StringEquals["iam:AWSServiceName"]) && (
        !contains(flatten([statement.Condition.StringEquals["iam:AWSServiceName"]]), "config.amazonaws.com") ||
        statement.Resource == ["arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"]
      )
      if contains(statement.Action, "iam:CreateServiceLinkedRole")
    ])
    error_message = "Every service-linked role creation names its service (iam:AWSServiceName); config.amazonaws.com only for Config's own role."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-operations"]).Statement :
      contains([
        { StringEquals = { "aws:RequestTag/environment" = "dev" } },
        { StringEquals = { "aws:ResourceTag/environment" = "dev" } },
      ], statement.Condition)
      if length(setintersection(toset(statement.Action), toset(["iam:TagRole", "iam:UntagRole", "iam:DeleteServiceLinkedRole"]))) > 0
    ])
    error_message = "The account's Config role is tagged with the environment that makes it, and only that environment may untag or delete it."
  }
}

run "the_plan_role_reads_the_operations_resources" {
  command = apply

  assert {
    condition = length(setsubtract(toset([
      "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource", "cloudwatch:GetDashboard",
      "logs:DescribeQueryDefinitions", "budgets:ViewBudget", "events:DescribeArchive", "cloudtrail:DescribeTrails",
      "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:ListTags", "config:DescribeConfigurationRecorders",
      "config:DescribeConfigurationRecorderStatus", "config:DescribeDeliveryChannels", "config:DescribeConfigRules",
      "config:ListTagsForResource", "backup:DescribeBackupVault", "backup:GetBackupVaultNotifications", "backup:GetBackupPlan",
      "backup:GetBackupSelection", "backup:ListTags", "iam:GetRole",
      ]), toset(flatten([
        for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Action
    ])))) == 0
    error_message = "terraform plan can refresh the topic, dashboard, saved queries, budget, archive, trail, Config, backup and the Config role."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Resource
      if contains(statement.Action, "budgets:ViewBudget")
      ]) == [
      "arn:aws:sns:eu-west-1:123456789012:bazaar-dev-alarms*",
      "arn:aws:budgets::123456789012:budget/bazaar-dev-*",
      "arn:aws:cloudwatch::123456789012:dashboard/bazaar-dev",
    ]
    error_message = "Who is paged, what is spent and the dashboard: dev's only."
  }

  assert {
    condition = contains(one([
      for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Resource
      if contains(statement.Action, "s3:GetBucketObjectLockConfiguration")
    ]), "arn:aws:s3:::bazaar-dev-audit-123456789012")
    error_message = "The audit bucket's configuration is readable, as the ALB log bucket's is (never its objects)."
  }

  assert {
    condition = contains(one([
      for statement in jsondecode(output.plan_policies["dev"]["bazaar-plan-dev-platform-read"]).Statement : statement.Resource
      if contains(statement.Action, "s3:GetBucketObjectLockConfiguration")
    ]), "arn:aws:s3:::bazaar-dev-event-archive-123456789012")
    error_message = "The event archive bucket's configuration is readable (never its objects)."
  }
}

run "every_policy_fits_iams_size_limits" {
  command = apply

  assert {
    condition = alltrue(flatten([
      [for policy in aws_iam_policy.deploy : length(policy.policy) <= 6144],
      [for policy in aws_iam_policy.platform_read : length(policy.policy) <= 6144],
      [for policy in aws_iam_policy.deploy_boundary : length(policy.policy) <= 6144],
      [for policy in aws_iam_policy.workload_boundary : length(policy.policy) <= 6144],
    ]))
    error_message = "Every managed policy is at most 6,144 characters (IAM's limit; jsonencode writes no whitespace)."
  }

  assert {
    condition     = alltrue([for policies in values(output.inline_policies) : sum([for document in values(policies) : length(document)]) <= 10240])
    error_message = "A deploy role's inline policies total at most 10,240 characters (IAM's limit per role)."
  }

  assert {
    condition     = alltrue([for environment in ["dev", "staging", "prod"] : length(output.deploy_policies[environment]) + length(var.environments[environment].policy_arns) <= 10])
    error_message = "A deploy role holds at most 10 managed policies (IAM's default quota)."
  }
}

run "without_state_the_plan_role_reads_no_state" {
  command = apply

  variables {
    state = null
  }

  assert {
    condition     = length(aws_iam_role_policy.plan_state) == 0 && keys(output.plan_policies["dev"]) == ["bazaar-plan-dev-platform-read"]
    error_message = "state = null: the plan role gets the platform read policy only."
  }

  assert {
    condition     = !strcontains(output.boundary_policies["dev"].deploy, "tfstate")
    error_message = "Without state the deploy boundary names no state bucket."
  }
}

run "the_apis_record_is_the_only_dns_name_a_deploy_role_may_change" {
  command = apply

  variables {
    environments = {
      dev     = { api_domain_name = "api.dev.example.com" }
      staging = { promotes_from = "dev", load_test_users = true }
      prod    = { promotes_from = "staging" }
    }
  }

  assert {
    condition = [
      for statement in jsondecode(output.deploy_policies["dev"]["bazaar-deploy-dev-edge"]).Statement : statement.Condition
      if contains(flatten([statement.Action]), "route53:ChangeResourceRecordSets")
      ] == [
      { "ForAllValues:StringEquals" = { "route53:ChangeResourceRecordSetsNormalizedRecordNames" = ["api.dev.example.com"] } }
    ]
    error_message = "dev's deploy role may change one record name, the API's."
  }

  assert {
    condition = alltrue([
      for environment in ["staging", "prod"] : !strcontains(output.deploy_policies[environment]["bazaar-deploy-${environment}-edge"], "route53:ChangeResourceRecordSets")
    ])
    error_message = "An environment without api_domain_name may change no DNS record."
  }
}
