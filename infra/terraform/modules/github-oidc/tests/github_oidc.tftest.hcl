# terraform test: who may assume the roles. Each environment has a deploy
# role trusted by its GitHub environment <env> and a plan role trusted by
# <env>-plan, and nothing else.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev  = { policy_arns = ["arn:aws:iam::123456789012:policy/bazaar-extra-dev"] }
    prod = { policy_arns = ["arn:aws:iam::123456789012:policy/bazaar-extra-prod", "arn:aws:iam::123456789012:policy/extra"] }
  }
}

run "each_role_trusts_exactly_its_own_github_environment" {
  command = apply

  assert {
    condition = alltrue([
      for environment, role in aws_iam_role.deploy :
      jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals == {
        "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        "token.actions.githubusercontent.com:sub" = "repo:example-org/bazaar:environment:${environment}"
      }
    ])
    error_message = "Each deploy role trusts only tokens for sts.amazonaws.com from this repository's GitHub environment <env>."
  }

  assert {
    condition = alltrue([
      for environment, role in aws_iam_role.plan :
      jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals == {
        "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        "token.actions.githubusercontent.com:sub" = "repo:example-org/bazaar:environment:${environment}-plan"
      }
    ])
    error_message = "Each plan role trusts only tokens for sts.amazonaws.com from this repository's GitHub environment <env>-plan."
  }

  assert {
    condition = alltrue([
      for role in concat(values(aws_iam_role.deploy), values(aws_iam_role.plan)) :
      !strcontains(role.assume_role_policy, "*") &&
      keys(jsondecode(role.assume_role_policy).Statement[0].Condition) == ["StringEquals"] &&
      length(jsondecode(role.assume_role_policy).Statement) == 1 &&
      jsondecode(role.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
    ])
    error_message = "One statement, web identity only, no wildcard and no StringLike: the sub claim is matched exactly."
  }

  assert {
    condition = alltrue([
      for role in concat(values(aws_iam_role.deploy), values(aws_iam_role.plan)) :
      jsondecode(role.assume_role_policy).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    ])
    error_message = "The federated principal is the GitHub OIDC provider."
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The provider is GitHub's issuer with the STS audience."
  }

  assert {
    condition     = output.github_environments == { dev = { deploy = "dev", plan = "dev-plan" }, prod = { deploy = "prod", plan = "prod-plan" } }
    error_message = "The output says which GitHub environment to create for each role."
  }
}

run "two_roles_per_environment_with_their_policies" {
  command = apply

  assert {
    condition = (
      output.role_names == { dev = "bazaar-deploy-dev", prod = "bazaar-deploy-prod" } &&
      output.plan_role_names == { dev = "bazaar-plan-dev", prod = "bazaar-plan-prod" }
    )
    error_message = "Roles are <name>-deploy-<environment> and <name>-plan-<environment>."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.deploy) == 3
    error_message = "Each environment's deploy role gets exactly its own extra policies."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "prod"] :
      length([for a in aws_iam_role_policy_attachment.deploy_platform : a if a.role == "bazaar-deploy-${environment}"]) == 6 &&
      aws_iam_role_policy_attachment.deploy_platform_read[environment].policy_arn == "arn:aws:iam::123456789012:policy/bazaar-plan-${environment}-platform-read" &&
      aws_iam_role_policy_attachment.plan_platform_read[environment].policy_arn == "arn:aws:iam::123456789012:policy/bazaar-plan-${environment}-platform-read"
    ])
    error_message = "Each deploy role gets the six deploy parts and the platform read policy; each plan role the read policy."
  }

  assert {
    condition     = length([for a in concat(values(aws_iam_role_policy_attachment.deploy), values(aws_iam_role_policy_attachment.deploy_platform), values(aws_iam_role_policy_attachment.plan_platform_read)) : a if strcontains(a.policy_arn, "AdministratorAccess")]) == 0
    error_message = "No role gets AdministratorAccess."
  }
}

run "an_existing_provider_is_reused" {
  command = plan

  variables {
    create_provider = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "create_provider = false creates no second provider."
  }
}

run "a_wildcard_repository_is_refused" {
  command = plan

  variables {
    repository = "example-org/*"
  }

  expect_failures = [var.repository]
}

run "no_environment_is_refused" {
  command = plan

  variables {
    environments = {}
  }

  expect_failures = [var.environments]
}

run "an_environment_named_like_a_plan_environment_is_refused" {
  command = plan

  variables {
    environments = { dev = {}, dev-plan = {} }
  }

  expect_failures = [var.environments]
}

run "an_environment_whose_prefix_covers_another_is_refused" {
  command = plan

  variables {
    environments = { prod = {}, prod-eu = {} }
  }

  expect_failures = [var.environments]
}

run "an_environment_in_the_pipelines_own_namespace_is_refused" {
  command = plan

  variables {
    environments = { deploy-x = {} }
  }

  expect_failures = [var.environments]
}

run "administrator_access_is_refused" {
  command = plan

  variables {
    environments = { dev = { policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] } }
  }

  expect_failures = [var.environments]
}

run "a_fourth_extra_policy_is_refused" {
  command = plan

  # Seven module policies and four extra ones would be 11: over IAM's
  # default quota of 10 managed policies per role.
  variables {
    environments = { dev = { policy_arns = [for n in range(4) : "arn:aws:iam::123456789012:policy/extra-${n}"] } }
  }

  expect_failures = [var.environments]
}

run "more_extra_policies_than_iam_allows_are_refused" {
  command = plan

  variables {
    environments = { dev = { policy_arns = [for n in range(5) : "arn:aws:iam::123456789012:policy/extra-${n}"] } }
  }

  expect_failures = [var.environments]
}
