# The deploy role's platform permissions: one customer managed policy per
# part of the platform (a managed policy holds at most 6,144 characters),
# each scoped to the environment by name prefix or tag (deploy_*.tf). Named
# <name>-deploy-<environment>-<part>, outside the <name>-<environment>-*
# policies the role may manage itself.

locals {
  deploy_parts = {
    network    = local.deploy_network
    edge       = local.deploy_edge
    compute    = local.deploy_compute
    data       = local.deploy_data
    identity   = local.deploy_identity
    operations = local.deploy_operations
  }

  deploy_policies = merge([
    for part, statements in local.deploy_parts : {
      for environment in keys(var.environments) : "${environment}/${part}" => {
        environment = environment
        part        = part
        statements  = statements[environment]
      }
    }
  ]...)
}

resource "aws_iam_policy" "deploy" {
  for_each = local.deploy_policies

  name        = "${var.name}-deploy-${each.value.environment}-${each.value.part}"
  description = "terraform apply of ${each.value.environment}: the platform's ${each.value.part}, its own resources only."
  policy      = jsonencode({ Version = "2012-10-17", Statement = each.value.statements })
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "deploy_platform" {
  for_each = local.deploy_policies

  role       = aws_iam_role.deploy[each.value.environment].name
  policy_arn = local.policy_arns.deploy[each.key]
}
