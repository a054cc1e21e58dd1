# The deploy role's IAM and Cognito rights. The platform makes IAM roles
# (the services' task, execution and database bootstrap roles, the RDS
# monitoring and VPC flow log roles), all named <prefix>-*: the deploy role
# may create or change one only if it carries the environment's workload
# boundary, so no role it makes can do more than that boundary allows (the
# one exception, AWS Backup's role <prefix>-backup, carries the one AWS
# managed policy it holds as its boundary), and it may never remove a
# boundary, change a boundary policy, or touch the pipeline's own roles.
# Cognito pool ARNs carry generated ids: tag scoped.

locals {
  deploy_identity = {
    for environment, platform in local.platform : environment => concat(
      [
        {
          # iam:PermissionsBoundary is the boundary the role gets (CreateRole,
          # PutRolePermissionsBoundary) or already has (the policy calls).
          Sid    = "RolesOnlyWithTheWorkloadBoundary"
          Effect = "Allow"
          Action = [
            "iam:CreateRole",
            "iam:DeleteRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:PutRolePolicy",
          ]
          Resource  = [platform.roles]
          Condition = { StringEquals = { "iam:PermissionsBoundary" = platform.workload_boundary_arn } }
        },
        {
          # Managed policies: the environment's own, or the AWS one Enhanced
          # Monitoring needs, and only onto bounded roles.
          Sid      = "AttachOnlyToBoundedRoles"
          Effect   = "Allow"
          Action   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
          Resource = [platform.roles]
          Condition = {
            StringEquals = { "iam:PermissionsBoundary" = platform.workload_boundary_arn }
            ArnLike = {
              "iam:PolicyARN" = [
                platform.policies,
                "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
              ]
            }
          }
        },
        {
          # No permissions-boundary condition exists for these calls.
          Sid    = "OwnRoles"
          Effect = "Allow"
          Action = [
            "iam:DeleteRole",
            "iam:ListInstanceProfilesForRole",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ]
          Resource = [platform.roles]
        },
        {
          # The workload boundary is named <prefix>-workload-boundary, inside
          # this pattern: the denies below keep it out of reach.
          Sid    = "OwnManagedPolicies"
          Effect = "Allow"
          Action = [
            "iam:CreatePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
          ]
          Resource = [platform.policies]
        },
        {
          # Flow logs and Enhanced Monitoring are handed their role by name;
          # each role's trust admits only its service.
          Sid    = "PassDeliveryRoles"
          Effect = "Allow"
          Action = ["iam:PassRole"]
          Resource = [
            "${local.iam_arn}:role/${platform.prefix}-vpc-flow-log",
            "${local.iam_arn}:role/${platform.prefix}-db-monitoring",
          ]
        },
        {
          # The one role without the workload boundary, modules/backup's
          # <prefix>-backup: that boundary would cut what AWS Backup needs. It
          # is created only with AWSBackupServiceRolePolicyForBackup as its
          # boundary...
          Sid       = "BackupRoleOnlyWithItsPolicyAsBoundary"
          Effect    = "Allow"
          Action    = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
          Resource  = [platform.backup_role]
          Condition = { StringEquals = { "iam:PermissionsBoundary" = local.backup_role_policy } }
        },
        {
          # ...and attached that policy only. Nothing else: no inline policy
          # (RolesOnlyWithTheWorkloadBoundary needs the workload boundary), no
          # boundary removal (denied below).
          Sid      = "BackupRoleHoldsOnlyItsPolicy"
          Effect   = "Allow"
          Action   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
          Resource = [platform.backup_role]
          Condition = {
            StringEquals = { "iam:PermissionsBoundary" = local.backup_role_policy }
            ArnEquals    = { "iam:PolicyARN" = local.backup_role_policy }
          }
        },
        {
          # The backup selection hands the role to AWS Backup, and only to it.
          Sid       = "PassBackupRoleToAwsBackup"
          Effect    = "Allow"
          Action    = ["iam:PassRole"]
          Resource  = [platform.backup_role]
          Condition = { StringEquals = { "iam:PassedToService" = "backup.amazonaws.com" } }
        },
        {
          Sid      = "NeverRemoveABoundary"
          Effect   = "Deny"
          Action   = ["iam:DeleteRolePermissionsBoundary"]
          Resource = ["*"]
        },
        {
          Sid    = "NeverChangeTheBoundaries"
          Effect = "Deny"
          Action = [
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
          ]
          Resource = [platform.workload_boundary_arn, "${local.iam_arn}:policy/${var.name}-deploy-*", "${local.iam_arn}:policy/${var.name}-plan-*"]
        },
        {
          Sid       = "CreateUserPoolWithEnvironmentTag"
          Effect    = "Allow"
          Action    = ["cognito-idp:CreateUserPool", "cognito-idp:TagResource"]
          Resource  = ["*"]
          Condition = platform.request_tag
        },
        {
          Sid    = "OwnUserPool"
          Effect = "Allow"
          Action = [
            "cognito-idp:CreateGroup",
            "cognito-idp:CreateResourceServer",
            "cognito-idp:CreateUserPoolClient",
            "cognito-idp:CreateUserPoolDomain",
            "cognito-idp:DeleteGroup",
            "cognito-idp:DeleteResourceServer",
            "cognito-idp:DeleteUserPool",
            "cognito-idp:DeleteUserPoolClient",
            "cognito-idp:DeleteUserPoolDomain",
            "cognito-idp:SetUserPoolMfaConfig",
            "cognito-idp:TagResource",
            "cognito-idp:UntagResource",
            "cognito-idp:UpdateGroup",
            "cognito-idp:UpdateResourceServer",
            "cognito-idp:UpdateUserPool",
            "cognito-idp:UpdateUserPoolClient",
            "cognito-idp:UpdateUserPoolDomain",
          ]
          Resource  = [platform.userpools]
          Condition = platform.resource_tag
        },
      ],
      # The release's load test (make load-users): temporary users in the
      # environment's own pool, signed in with admin credentials, then deleted.
      var.environments[environment].load_test_users ? [{
        Sid    = "LoadTestUsers"
        Effect = "Allow"
        Action = [
          "cognito-idp:AdminAddUserToGroup",
          "cognito-idp:AdminCreateUser",
          "cognito-idp:AdminDeleteUser",
          "cognito-idp:AdminInitiateAuth",
          "cognito-idp:AdminSetUserPassword",
          "cognito-idp:ListUsers",
        ]
        Resource  = [platform.userpools]
        Condition = platform.resource_tag
      }] : [],
    )
  }
}
