# GitHub Actions reaches AWS with short-lived credentials from OIDC, never
# stored keys. Each environment has two roles, and a job may assume one only
# if its token says it runs in this repository AND in that role's GitHub
# environment: the trust policies pin `aud` and `sub` exactly.
#
#   <name>-plan-<env>    GitHub environment "<env>-plan" (no reviewers):
#                        reads the state and what terraform plan refreshes.
#   <name>-deploy-<env>  GitHub environment "<env>" (prod: required
#                        reviewers): applies, within its deploy boundary.

locals {
  issuer_host = "token.actions.githubusercontent.com"
  provider_arn = (
    var.create_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : data.aws_iam_openid_connect_provider.github[0].arn
  )

  # The GitHub environment each role is for: the plan job runs in a
  # separate environment without reviewers, so a pull of prod's plan never
  # waits for, nor counts as, prod's approval.
  github_environments = {
    deploy = { for environment in keys(var.environments) : environment => environment }
    plan   = { for environment in keys(var.environments) : environment => "${environment}-plan" }
  }

  # The module's policy ARNs, from their names: known when planning (a
  # plan shows exactly which policy a role gets), and the references keep
  # each policy created before the role or attachment that names it.
  policy_arns = {
    deploy_boundary = { for environment, policy in aws_iam_policy.deploy_boundary : environment => "${local.iam_arn}:policy/${policy.name}" }
    platform_read   = { for environment, policy in aws_iam_policy.platform_read : environment => "${local.iam_arn}:policy/${policy.name}" }
    deploy          = { for key, policy in aws_iam_policy.deploy : key => "${local.iam_arn}:policy/${policy.name}" }
  }

  attachments = merge([
    for environment, role in var.environments : {
      for arn in role.policy_arns : "${environment}|${arn}" => { environment = environment, arn = arn }
    }
  ]...)
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 1 : 0

  url            = "https://${local.issuer_host}"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 0 : 1

  url = "https://${local.issuer_host}"
}

resource "aws_iam_role" "deploy" {
  for_each = var.environments

  name                 = "${var.name}-deploy-${each.key}"
  description          = "GitHub Actions applies of ${var.repository} to ${each.key} (GitHub environment ${local.github_environments.deploy[each.key]})"
  max_session_duration = var.max_session_seconds
  # Whatever policies the role gains, it can never do more than this.
  permissions_boundary = local.policy_arns.deploy_boundary[each.key]
  # jsonencode, not a policy document data source: the tests read it back.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsEnvironment"
      Effect    = "Allow"
      Principal = { Federated = local.provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.issuer_host}:aud" = "sts.amazonaws.com"
          "${local.issuer_host}:sub" = "repo:${var.repository}:environment:${local.github_environments.deploy[each.key]}"
        }
      }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role" "plan" {
  for_each = var.environments

  name                 = "${var.name}-plan-${each.key}"
  description          = "GitHub Actions plans of ${var.repository} for ${each.key} (GitHub environment ${local.github_environments.plan[each.key]}): read only"
  max_session_duration = var.max_session_seconds
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsPlanEnvironment"
      Effect    = "Allow"
      Principal = { Federated = local.provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.issuer_host}:aud" = "sts.amazonaws.com"
          "${local.issuer_host}:sub" = "repo:${var.repository}:environment:${local.github_environments.plan[each.key]}"
        }
      }
    }]
  })
  tags = var.tags
}

# The operator's additions (policy_arns), as given; the deploy boundary
# caps them like everything else the role holds.
resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = local.attachments

  role       = aws_iam_role.deploy[each.value.environment].name
  policy_arn = each.value.arn
}
