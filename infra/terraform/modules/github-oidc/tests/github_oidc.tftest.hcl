# terraform test: who may assume the deploy roles.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev  = { policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"] }
    prod = { policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::123456789012:policy/extra"] }
  }
}

run "the_trust_policy_pins_the_audience_and_the_repository_environment" {
  command = apply

  assert {
    condition = alltrue([
      for environment, role in aws_iam_role.deploy :
      jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com" &&
      jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/bazaar:environment:${environment}"
    ])
    error_message = "Each role trusts only tokens for sts.amazonaws.com from this repository's own environment."
  }

  assert {
    condition = alltrue([
      for role in aws_iam_role.deploy :
      !strcontains(role.assume_role_policy, "*") && !contains(keys(jsondecode(role.assume_role_policy).Statement[0].Condition), "StringLike")
    ])
    error_message = "No wildcard and no StringLike: the sub claim is matched exactly."
  }

  assert {
    condition     = jsondecode(aws_iam_role.deploy["prod"].assume_role_policy).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The federated principal is the GitHub OIDC provider."
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The provider is GitHub's issuer with the STS audience."
  }
}

run "one_role_per_environment_with_its_policies" {
  command = apply

  assert {
    condition     = toset(keys(aws_iam_role.deploy)) == toset(["dev", "prod"]) && aws_iam_role.deploy["prod"].name == "bazaar-deploy-prod"
    error_message = "Roles are <name>-deploy-<environment>."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.deploy) == 3
    error_message = "Each environment gets exactly its own policies."
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
