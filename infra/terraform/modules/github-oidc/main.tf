# GitHub Actions deploys with short-lived credentials from OIDC, never stored
# keys. A job may assume an environment's role only if its token says it runs
# in this repository AND in that GitHub environment (where required reviewers
# guard prod): the trust policy pins both `aud` and `sub` exactly.

locals {
  issuer_host = "token.actions.githubusercontent.com"
  provider_arn = (
    var.create_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : data.aws_iam_openid_connect_provider.github[0].arn
  )
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
  description          = "GitHub Actions deploys of ${var.repository} to ${each.key}"
  max_session_duration = var.max_session_seconds
  permissions_boundary = each.value.permissions_boundary_arn
  # jsonencode, not a policy document data source: the test reads it back.
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
          "${local.issuer_host}:sub" = "repo:${var.repository}:environment:${each.key}"
        }
      }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = local.attachments

  role       = aws_iam_role.deploy[each.value.environment].name
  policy_arn = each.value.arn
}
