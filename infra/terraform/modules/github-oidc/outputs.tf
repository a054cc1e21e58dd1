output "role_arns" {
  description = "The deploy role of each GitHub environment: what deploy.yml's aws-actions/configure-aws-credentials assumes there."
  value       = { for environment, role in aws_iam_role.deploy : environment => role.arn }
}

output "provider_arn" {
  description = "The GitHub OIDC identity provider of the account."
  value       = local.provider_arn
}

output "role_names" {
  description = "The deploy role name of each GitHub environment (<name>-deploy-<environment>)."
  value       = { for environment, role in aws_iam_role.deploy : environment => role.name }
}

output "inline_policies" {
  description = "The policies this module gives each role, by environment then policy name (terraform-state, ecr-push, ecr-promote-from-<env>, deny-other-environments), as JSON: what the role may do beyond policy_arns."
  value = {
    for environment in keys(var.environments) : environment => merge(
      { for policy in [lookup(aws_iam_role_policy.state, environment, null)] : policy.name => policy.policy if policy != null },
      { (aws_iam_role_policy.ecr_push[environment].name) = aws_iam_role_policy.ecr_push[environment].policy },
      { for policy in [lookup(aws_iam_role_policy.ecr_promote, environment, null)] : policy.name => policy.policy if policy != null },
      { for policy in [lookup(aws_iam_role_policy.isolation, environment, null)] : policy.name => policy.policy if policy != null },
    )
  }
}
