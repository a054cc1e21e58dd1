# terraform test: what the deploy roles may do beyond the operator's
# policy_arns: their own environment's state and images, pulling from the
# environment they promote from, and nothing of the other environments.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev     = { policy_arns = [] }
    staging = { policy_arns = [], promotes_from = "dev" }
    prod    = { policy_arns = [], promotes_from = "staging" }
  }
  state = {
    bucket_arn  = "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

run "dev_reaches_only_its_own_state_under_envs_dev" {
  command = apply

  assert {
    condition     = toset(keys(aws_iam_role_policy.state)) == toset(["dev", "staging", "prod"]) && aws_iam_role_policy.state["dev"].role == "bazaar-deploy-dev"
    error_message = "Every role gets a state policy, on its own role."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.state["dev"].policy).Statement : s.Effect == "Allow"])
    error_message = "The state policy only allows (the denies are in deny-other-environments)."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.state["dev"].policy).Statement : s.Resource])) == toset([
      "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1",
      "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/envs/dev/*",
      "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
    ])
    error_message = "dev's state policy names exactly the bucket, the objects under envs/dev/, and the state key: no wildcard bucket, no whole-bucket objects."
  }

  assert {
    condition = (
      !strcontains(aws_iam_role_policy.state["dev"].policy, "staging") &&
      !strcontains(aws_iam_role_policy.state["dev"].policy, "prod") &&
      !strcontains(aws_iam_role_policy.state["dev"].policy, "s3:::*") &&
      !strcontains(aws_iam_role_policy.state["dev"].policy, "eu-west-1/*")
    )
    error_message = "dev's state policy mentions no other environment and no bucket-wide or account-wide wildcard."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.state["dev"].policy).Statement : s if s.Action == ["s3:ListBucket"]
    ]).Condition.StringLike["s3:prefix"] == ["envs/dev/", "envs/dev/*"]
    error_message = "dev may list the bucket only under envs/dev/."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.state["dev"].policy).Statement : s if contains(s.Action, "s3:PutObject")
    ]).Action == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    error_message = "dev may read, write and delete (the lock file) objects, nothing else."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.state["dev"].policy).Statement : s if contains(s.Action, "kms:Decrypt")
      ]) == {
      Sid       = "UseStateKeyThroughS3"
      Effect    = "Allow"
      Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = ["arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"]
      Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
    }
    error_message = "The state key is usable only through S3 in the bucket's region, for encrypt, decrypt and data keys."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.state["prod"].policy).Statement : s.Resource])) == toset([
      "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1",
      "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/envs/prod/*",
      "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
    ])
    error_message = "prod's state policy is scoped to envs/prod/ in the same way."
  }
}

run "no_role_may_touch_another_environments_state_or_push_to_its_images" {
  command = apply

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.isolation["dev"].policy).Statement : s if s.Sid == "DenyOtherEnvironmentsState"
      ]) == {
      Sid    = "DenyOtherEnvironmentsState"
      Effect = "Deny"
      Action = ["s3:*"]
      Resource = [
        "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/envs/prod/*",
        "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/envs/staging/*",
      ]
    }
    error_message = "dev is denied staging's and prod's state whatever policy_arns allow, and not its own."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(aws_iam_role_policy.isolation["staging"].policy).Statement : s if s.Sid == "DenyWritesToOtherEnvironmentsImages"
      ]).Resource) == toset([
      "arn:aws:ecr:eu-west-1:123456789012:repository/bazaar-dev/*",
      "arn:aws:ecr:eu-west-1:123456789012:repository/bazaar-prod/*",
    ])
    error_message = "staging may not push to or delete from dev's or prod's repositories."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.isolation["staging"].policy).Statement :
      s.Effect == "Deny" && !contains(s.Action, "ecr:BatchGetImage") && !contains(s.Action, "ecr:GetDownloadUrlForLayer")
    ])
    error_message = "The isolation policy only denies, and never the pulls a promotion needs."
  }
}

run "each_role_pushes_only_to_its_own_repositories" {
  command = apply

  assert {
    condition = alltrue([
      for environment, policy in aws_iam_role_policy.ecr_push :
      one([for s in jsondecode(policy.policy).Statement : s if s.Sid == "PushOwnImages"]).Resource == ["arn:aws:ecr:eu-west-1:123456789012:repository/bazaar-${environment}/*"]
    ])
    error_message = "Each role pushes to <name>-<environment>/* only."
  }

  assert {
    condition = toset(one([for s in jsondecode(aws_iam_role_policy.ecr_push["dev"].policy).Statement : s if s.Sid == "PushOwnImages"]).Action) == toset([
      "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages",
      "ecr:ListImages",
    ])
    error_message = "Push is the upload and pull actions, no repository management."
  }

  assert {
    condition = alltrue([
      for policy in aws_iam_role_policy.ecr_push : alltrue([
        for s in jsondecode(policy.policy).Statement : !contains(s.Resource, "*") || s.Action == ["ecr:GetAuthorizationToken"]
      ])
    ])
    error_message = "Only ecr:GetAuthorizationToken (which has no resource-level permission) is on \"*\"."
  }
}

run "staging_promotes_from_dev_and_prod_from_staging_only" {
  command = apply

  assert {
    condition     = toset(keys(aws_iam_role_policy.ecr_promote)) == toset(["staging", "prod"])
    error_message = "dev promotes from nothing: it has no promotion policy."
  }

  assert {
    condition     = flatten([for s in jsondecode(aws_iam_role_policy.ecr_promote["staging"].policy).Statement : s.Resource]) == ["arn:aws:ecr:eu-west-1:123456789012:repository/bazaar-dev/*"]
    error_message = "staging may pull only bazaar-dev/* repositories."
  }

  assert {
    condition     = flatten([for s in jsondecode(aws_iam_role_policy.ecr_promote["prod"].policy).Statement : s.Resource]) == ["arn:aws:ecr:eu-west-1:123456789012:repository/bazaar-staging/*"]
    error_message = "prod may pull only bazaar-staging/* repositories (not dev's)."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.ecr_promote["prod"].policy).Statement : s.Action])) == toset([
      "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages",
      "ecr:ListImages",
    ])
    error_message = "Promotion is pull only: no push to the source environment."
  }

  assert {
    condition     = aws_iam_role_policy.ecr_promote["prod"].name == "ecr-promote-from-staging" && aws_iam_role_policy.ecr_promote["prod"].role == "bazaar-deploy-prod"
    error_message = "The policy says where it promotes from, on the promoting role."
  }

  assert {
    condition = (
      keys(output.inline_policies["dev"]) == ["deny-other-environments", "ecr-push", "terraform-state"] &&
      keys(output.inline_policies["prod"]) == ["deny-other-environments", "ecr-promote-from-staging", "ecr-push", "terraform-state"]
    )
    error_message = "inline_policies lists every policy the module gives each role."
  }
}

run "a_custom_key_prefix_scopes_the_state_under_it" {
  command = apply

  variables {
    state = {
      bucket_arn  = "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
      key_prefix  = "platform/envs"
    }
  }

  assert {
    condition     = contains(flatten([for s in jsondecode(aws_iam_role_policy.state["staging"].policy).Statement : s.Resource]), "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1/platform/envs/staging/*")
    error_message = "Objects are under <key_prefix>/<environment>/."
  }
}

run "without_state_there_is_no_state_policy" {
  command = apply

  variables {
    state = null
  }

  assert {
    condition     = length(aws_iam_role_policy.state) == 0 && length(aws_iam_role_policy.ecr_push) == 3
    error_message = "state = null gives no state policy; the image policies remain."
  }

  assert {
    condition     = alltrue([for policy in aws_iam_role_policy.isolation : !strcontains(policy.policy, "s3")])
    error_message = "Without state, the isolation policy is about images only."
  }
}

run "a_single_environment_has_nothing_to_be_isolated_from" {
  command = apply

  variables {
    environments = { dev = { policy_arns = [] } }
  }

  assert {
    condition     = length(aws_iam_role_policy.isolation) == 0 && length(aws_iam_role_policy.ecr_promote) == 0
    error_message = "One environment: no deny policy, no promotion."
  }
}

run "promoting_from_an_unknown_environment_is_refused" {
  command = plan

  variables {
    environments = {
      dev     = { policy_arns = [] }
      staging = { policy_arns = [], promotes_from = "qa" }
    }
  }

  expect_failures = [var.environments]
}

run "promoting_from_itself_is_refused" {
  command = plan

  variables {
    environments = {
      dev     = { policy_arns = [] }
      staging = { policy_arns = [], promotes_from = "staging" }
    }
  }

  expect_failures = [var.environments]
}

run "a_wildcard_state_bucket_is_refused" {
  command = plan

  variables {
    state = {
      bucket_arn  = "arn:aws:s3:::*"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"
    }
  }

  expect_failures = [var.state]
}

run "a_state_key_alias_is_refused" {
  command = plan

  variables {
    state = {
      bucket_arn  = "arn:aws:s3:::bazaar-tfstate-123456789012-eu-west-1"
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/bazaar-tfstate"
    }
  }

  expect_failures = [var.state]
}
