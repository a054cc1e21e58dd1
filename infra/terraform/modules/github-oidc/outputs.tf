output "role_arns" {
  description = "The deploy (apply) role of each environment, trusted by the GitHub environment <env>: that environment's variable AWS_ROLE_ARN."
  value       = { for environment, role in aws_iam_role.deploy : environment => role.arn }
}

output "role_names" {
  description = "The deploy role name of each environment (<name>-deploy-<environment>)."
  value       = { for environment, role in aws_iam_role.deploy : environment => role.name }
}

output "plan_role_arns" {
  description = "The read-only plan role of each environment, trusted by the GitHub environment <env>-plan: that environment's variable AWS_ROLE_ARN."
  value       = { for environment, role in aws_iam_role.plan : environment => role.arn }
}

output "plan_role_names" {
  description = "The plan role name of each environment (<name>-plan-<environment>)."
  value       = { for environment, role in aws_iam_role.plan : environment => role.name }
}

output "github_environments" {
  description = "The GitHub environment each role trusts, by environment: { deploy = \"<env>\", plan = \"<env>-plan\" }."
  value = {
    for environment in keys(var.environments) : environment => {
      deploy = local.github_environments.deploy[environment]
      plan   = local.github_environments.plan[environment]
    }
  }
}

output "provider_arn" {
  description = "The GitHub OIDC identity provider of the account."
  value       = local.provider_arn
}

output "deploy_boundary_arns" {
  description = "The permissions boundary of each environment's deploy role (<name>-deploy-<environment>-boundary)."
  value       = local.policy_arns.deploy_boundary
}

output "workload_boundary_arns" {
  description = "The workload boundary of each environment (<name>-<environment>-workload-boundary): the permissions_boundary of every role its platform makes, and the only one the deploy role may give."
  value       = { for environment in keys(var.environments) : environment => local.platform[environment].workload_boundary_arn }
  depends_on  = [aws_iam_policy.workload_boundary]
}

output "workload_boundary_names" {
  description = "The workload boundary policy name of each environment."
  value       = { for environment, policy in aws_iam_policy.workload_boundary : environment => policy.name }
}

output "inline_policies" {
  description = "The inline policies of each deploy role, by environment then policy name (terraform-state, ecr-push, ecr-promote-from-<env>, deny-other-environments), as JSON."
  value = {
    for environment in keys(var.environments) : environment => merge(
      { for policy in [lookup(aws_iam_role_policy.state, environment, null)] : policy.name => policy.policy if policy != null },
      { (aws_iam_role_policy.ecr_push[environment].name) = aws_iam_role_policy.ecr_push[environment].policy },
      { for policy in [lookup(aws_iam_role_policy.ecr_promote, environment, null)] : policy.name => policy.policy if policy != null },
      { for policy in [lookup(aws_iam_role_policy.isolation, environment, null)] : policy.name => policy.policy if policy != null },
    )
  }
}

output "deploy_policies" {
  description = "The managed policies the module attaches to each deploy role, by environment then policy name (<name>-plan-<env>-platform-read and <name>-deploy-<env>-<part>), as JSON: the platform permissions of terraform apply."
  value = {
    for environment in keys(var.environments) : environment => merge(
      { (aws_iam_policy.platform_read[environment].name) = aws_iam_policy.platform_read[environment].policy },
      { for key, policy in aws_iam_policy.deploy : policy.name => policy.policy if local.deploy_policies[key].environment == environment },
    )
  }
}

output "plan_policies" {
  description = "Everything each plan role may do, by environment then policy name (the platform-read managed policy and the terraform-state-read inline policy), as JSON."
  value = {
    for environment in keys(var.environments) : environment => merge(
      { (aws_iam_policy.platform_read[environment].name) = aws_iam_policy.platform_read[environment].policy },
      { for policy in [lookup(aws_iam_role_policy.plan_state, environment, null)] : policy.name => policy.policy if policy != null },
    )
  }
}

output "boundary_policies" {
  description = "Each environment's two permissions boundaries as JSON: { deploy = <the deploy role's>, workload = <every platform role's> }."
  value = {
    for environment in keys(var.environments) : environment => {
      deploy   = aws_iam_policy.deploy_boundary[environment].policy
      workload = aws_iam_policy.workload_boundary[environment].policy
    }
  }
}
