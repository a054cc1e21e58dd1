# terraform test: the two permissions boundaries of each environment. The
# deploy boundary caps the deploy role whatever it is given; the workload
# boundary caps every role the platform makes, and holds nothing of IAM or
# STS.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev     = {}
    staging = { promotes_from = "dev" }
    prod    = { promotes_from = "staging" }
  }
  state = {
    bucket_arn  = "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

run "the_workload_boundary_allows_only_what_workloads_do" {
  command = apply

  assert {
    condition     = output.workload_boundary_names == { dev = "bazaar-dev-workload-boundary", staging = "bazaar-staging-workload-boundary", prod = "bazaar-prod-workload-boundary" }
    error_message = "The workload boundary is named bazaar-<env>-workload-boundary: the platform computes its ARN from that name."
  }

  assert {
    condition = alltrue(flatten([
      for environment in ["dev", "staging", "prod"] : [
        for statement in jsondecode(output.boundary_policies[environment].workload).Statement : [
          for action in statement.Action :
          statement.Effect == "Allow" && !startswith(action, "iam:") && !startswith(action, "sts:") && !strcontains(action, "*")
        ]
      ]
    ]))
    error_message = "The workload boundary only allows, explicit actions, and nothing of IAM or STS (no role can pass, create or assume roles)."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.boundary_policies["dev"].workload).Statement :
      try(statement.Resource, null) == ["*"] ? statement.Sid == "TelemetryAndAgents" : alltrue([
        for resource in statement.Resource :
        strcontains(resource, "bazaar-dev") || (strcontains(resource, ":key/*") && try(statement.Condition, null) == { StringEquals = { "aws:ResourceTag/environment" = "dev" } }) ||
        strcontains(resource, ":secret:rds!cluster-") || strcontains(resource, ":log-group:RDS*")
      ])
    ])
    error_message = "Workload roles reach dev's resources only: by name, by tag (keys), the database's master secret (encrypted with a dev key), the RDS monitoring log groups AWS fixes; \"*\" only for the calls IAM gives no resource."
  }

  assert {
    condition = [
      for statement in jsondecode(output.boundary_policies["dev"].workload).Statement : statement.Resource if contains(statement.Action, "secretsmanager:PutSecretValue")
    ] == [["arn:aws:secretsmanager:eu-west-1:123456789012:secret:bazaar-dev/*"]]
    error_message = "Only the environment's own secrets (bazaar-dev/*) may be written, by the database bootstrap tasks."
  }

  assert {
    condition = [
      for statement in jsondecode(output.boundary_policies["dev"].workload).Statement : {
        actions   = toset(statement.Action)
        resources = statement.Resource
      } if anytrue([for action in statement.Action : startswith(action, "s3:")])
      ] == [{
        actions   = toset(["s3:GetObject", "s3:ListBucket", "s3:PutObject"])
        resources = ["arn:aws:s3:::bazaar-dev-event-archive-123456789012", "arn:aws:s3:::bazaar-dev-event-archive-123456789012/events/*"]
    }]
    error_message = "S3 for workloads is the event archive alone: get, list, put under events/ (audit writes, read models read, as their task policies narrow it); never a delete."
  }

  assert {
    condition = toset(one([for statement in jsondecode(output.boundary_policies["dev"].workload).Statement : statement.Action if statement.Sid == "TelemetryAndAgents"])) == toset([
      "ecr:GetAuthorizationToken", "logs:DescribeLogGroups",
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
      "xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
    ])
    error_message = "The calls on \"*\" are those without resource-level permission: ECR login, metrics, log group lookup, ECS Exec channels, X-Ray."
  }
}

run "the_deploy_boundary_caps_the_deploy_role" {
  command = apply

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : anytrue([
        for statement in jsondecode(output.boundary_policies[environment].deploy).Statement :
        statement.Effect == "Deny" && toset(statement.Action) == toset(["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]) &&
        try(statement.NotResource, null) == ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"] &&
        try(statement.Condition, null) == { StringNotEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary" } }
      ])
    ])
    error_message = "Whatever the deploy role is given, it creates and changes every role but bazaar-<env>-backup only with its environment's workload boundary."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : [
        for statement in jsondecode(output.boundary_policies[environment].deploy).Statement : statement
        if contains(flatten([try(statement.Resource, []), try(statement.NotResource, [])]), "arn:aws:iam::123456789012:role/bazaar-${environment}-backup")
        ] == [
        {
          Sid         = "NoRoleWithoutTheWorkloadBoundary"
          Effect      = "Deny"
          Action      = ["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
          NotResource = ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"]
          Condition   = { StringNotEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::123456789012:policy/bazaar-${environment}-workload-boundary" } }
        },
        {
          Sid       = "NoBackupRoleWithoutItsBoundary"
          Effect    = "Deny"
          Action    = ["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
          Resource  = ["arn:aws:iam::123456789012:role/bazaar-${environment}-backup"]
          Condition = { StringNotEquals = { "iam:PermissionsBoundary" = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" } }
        },
      ]
    ])
    error_message = "The carve-out is exactly one role name, bazaar-<env>-backup, and exactly one boundary for it, AWSBackupServiceRolePolicyForBackup."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      length(regexall("AWSBackupServiceRolePolicyForBackup", output.boundary_policies[environment].deploy)) == 1
    ])
    error_message = "The AWS Backup policy is a boundary the deploy boundary admits for the backup role only (one statement names it)."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : anytrue([
        for statement in jsondecode(output.boundary_policies[environment].deploy).Statement :
        statement.Effect == "Deny" && statement.Action == ["iam:DeleteRolePermissionsBoundary"] && try(statement.Resource, null) == ["*"]
      ])
    ])
    error_message = "No deploy role may remove a permissions boundary."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      statement.Effect == "Deny" && contains(statement.Action, "iam:CreatePolicyVersion") && contains(statement.Action, "iam:SetDefaultPolicyVersion") &&
      try(statement.Resource, null) == ["arn:aws:iam::123456789012:policy/bazaar-*-workload-boundary"]
    ])
    error_message = "No deploy role may change or delete a workload boundary."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      statement.Effect == "Deny" && statement.Action == ["iam:*"] && toset(try(statement.Resource, [])) == toset([
        "arn:aws:iam::123456789012:role/bazaar-deploy-*",
        "arn:aws:iam::123456789012:role/bazaar-plan-*",
        "arn:aws:iam::123456789012:policy/bazaar-deploy-*",
        "arn:aws:iam::123456789012:policy/bazaar-plan-*",
        "arn:aws:iam::123456789012:oidc-provider/*",
      ])
    ])
    error_message = "No deploy role may touch the plan and deploy roles, their policies and boundaries, or the OIDC provider."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      statement.Effect == "Deny" && contains(statement.Action, "s3:PutBucket*") && contains(statement.Action, "s3:DeleteBucket*") &&
      try(statement.Resource, null) == ["arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"]
    ])
    error_message = "No deploy role may change the state bucket's policy or configuration."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      statement.Effect == "Deny" && contains(statement.Action, "secretsmanager:GetSecretValue") && contains(statement.Action, "secretsmanager:PutSecretValue") && try(statement.Resource, null) == ["*"]
    ])
    error_message = "No deploy role may read or write a secret value, whatever it is given."
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      !contains(statement.Action, "*") && (!anytrue([for action in statement.Action : startswith(action, "iam:")]) || !contains(statement.Resource, "*"))
      if statement.Effect == "Allow"
    ])
    error_message = "The boundary never allows every action, and allows IAM only on named resources."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement : statement.Resource if statement.Sid == "EnvironmentIam"
      ]) == [
      "arn:aws:iam::123456789012:role/bazaar-dev-*",
      "arn:aws:iam::123456789012:policy/bazaar-dev-*",
      "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
    ]
    error_message = "Within its boundary a deploy role reaches only its environment's roles and policies and AWS Config's service-linked role (and may create service-linked roles)."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement : statement if statement.Sid == "NoTaggingOtherEnvironments"
      ]) == {
      Sid      = "NoTaggingOtherEnvironments"
      Effect   = "Deny"
      Action   = ["*"]
      Resource = ["*"]
      Condition = {
        Null            = { "aws:ResourceTag/environment" = "false", "aws:TagKeys" = "false" }
        StringNotEquals = { "aws:ResourceTag/environment" = "dev" }
      }
    }
    error_message = "No deploy role may tag, retag or untag another environment's resources, by any service (the tag is their scope)."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] : alltrue([
        for service in ["backup:*", "budgets:*", "cloudtrail:*", "config:*", "sns:*", "backup-storage:MountCapsule"] :
        contains(one([for statement in jsondecode(output.boundary_policies[environment].deploy).Statement : statement.Action if statement.Sid == "PlatformServices"]), service)
      ])
    ])
    error_message = "The deploy boundary admits the operations services the platform now uses (SNS, Budgets, CloudTrail, AWS Config, AWS Backup)."
  }

  assert {
    condition = (
      strcontains(output.boundary_policies["dev"].deploy, "\"arn:aws:s3:::bazaar-dev-audit-123456789012\"") &&
      !strcontains(output.boundary_policies["dev"].deploy, "arn:aws:s3:::bazaar-dev-audit-123456789012/")
    )
    error_message = "The deploy boundary admits the audit bucket itself, never its objects: the deploy role can neither read nor delete the audit trail."
  }

  assert {
    condition = (
      strcontains(output.boundary_policies["dev"].deploy, "\"arn:aws:s3:::bazaar-dev-event-archive-123456789012\"") &&
      !strcontains(output.boundary_policies["dev"].deploy, "arn:aws:s3:::bazaar-dev-event-archive-123456789012/")
    )
    error_message = "The deploy boundary admits the event archive bucket itself, never its objects: the deploy role can neither read nor delete an archived event."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement :
      statement.Effect == "Deny" && try(statement.Resource, null) == ["*"] && !can(statement.Condition) &&
      contains(statement.Action, "backup:DeleteRecoveryPoint") && contains(statement.Action, "backup:StartRestoreJob")
    ])
    error_message = "No deploy role may delete or restore a backup, whatever it is given: that is an operator's act."
  }

  assert {
    condition = contains(one([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement : statement.Condition.StringNotEquals["kms:ViaService"] if statement.Sid == "NoDecryptOutsideTheServices"
    ]), "backup.eu-west-1.amazonaws.com")
    error_message = "AWS Backup may use the environment's key for the caller when the vault is made; decryption stays denied outside the services that need it."
  }

  assert {
    condition = one([
      for statement in jsondecode(output.boundary_policies["dev"].deploy).Statement : statement if statement.Sid == "OnlyDatabaseBootstrapTasks"
    ]).NotResource == ["arn:aws:ecs:eu-west-1:123456789012:task-definition/bazaar-dev-*-database:*"]
    error_message = "No deploy role may run any task but its environment's database bootstraps."
  }
}
