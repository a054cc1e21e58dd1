# terraform test: the state bucket and its key, planned against a mock
# provider. Plan only: bucket and key are prevent_destroy, so a test apply
# could not be torn down. override_during = plan (Terraform 1.11) gives the
# key and bucket their ARNs at plan time, so their wiring can be asserted.

mock_provider "aws" {
  override_during = plan

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }

  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"
      key_id = "0a1b2c3d-1111-2222-3333-444455556666"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "bazaar-tfstate-111122223333-eu-west-1"
      arn = "arn:aws:s3:::bazaar-tfstate-111122223333-eu-west-1"
    }
  }
}

variables {
  region            = "eu-west-1"
  bucket_name       = "bazaar-tfstate-111122223333-eu-west-1"
  github_repository = "example-org/bazaar"
}

# The plan runs of the default inputs, one run: each plan costs the
# provider schema's processing, the asserts are as they were (each
# under its former run's name).
run "the_bootstrap_with_default_inputs" {
  command = plan

  # bucket_is_versioned_and_encrypted_with_its_own_rotating_key
  assert {
    condition     = aws_s3_bucket.state.bucket == var.bucket_name && aws_s3_bucket.state.force_destroy == false
    error_message = "The bucket has the given name and is never force-destroyed."
  }

  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning is on: every state version can be restored."
  }

  assert {
    condition = (
      one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.state.arn &&
      one(aws_s3_bucket_server_side_encryption_configuration.state.rule).bucket_key_enabled == true
    )
    error_message = "Default encryption is SSE-KMS with the bucket's own key and a bucket key."
  }

  assert {
    condition     = aws_kms_key.state.enable_key_rotation == true && aws_kms_key.state.deletion_window_in_days == 30
    error_message = "The key rotates and has the longest deletion window."
  }

  assert {
    condition     = aws_kms_alias.state.name == "alias/${var.bucket_name}"
    error_message = "The key's alias names the bucket."
  }

  assert {
    condition     = output.kms_key_arn == "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666" && output.bucket_name == var.bucket_name && output.region == "eu-west-1"
    error_message = "The outputs are the backend settings of the environments."
  }

  # bucket_is_never_public_and_tls_only
  assert {
    condition = (
      aws_s3_bucket_public_access_block.state.block_public_acls &&
      aws_s3_bucket_public_access_block.state.block_public_policy &&
      aws_s3_bucket_public_access_block.state.ignore_public_acls &&
      aws_s3_bucket_public_access_block.state.restrict_public_buckets
    )
    error_message = "All four public access blocks are on."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.state.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are disabled."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.state_bucket.statement :
      s.effect == "Deny" && contains(s.actions, "s3:*") &&
      s.resources == toset([aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]) &&
      anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && join(",", c.values) == "false"])
    ])
    error_message = "The bucket policy denies every request without TLS, on the bucket and its objects."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.state_bucket.statement :
      s.effect == "Deny" && anytrue([for c in s.condition : c.variable == "s3:TlsVersion" && c.test == "NumericLessThan" && join(",", c.values) == "1.2"])
    ])
    error_message = "The bucket policy denies TLS older than 1.2."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.state_bucket.statement : s if s.effect != "Deny"]) == 0
    error_message = "The bucket policy grants nothing: access is through IAM."
  }

  # old_state_versions_expire_and_object_lock_is_off_by_default
  assert {
    condition = (
      one([for r in aws_s3_bucket_lifecycle_configuration.state.rule : r if r.id == "expire-noncurrent-versions"]).noncurrent_version_expiration[0].noncurrent_days == 90 &&
      one([for r in aws_s3_bucket_lifecycle_configuration.state.rule : r if r.id == "expire-noncurrent-versions"]).noncurrent_version_expiration[0].newer_noncurrent_versions == 10 &&
      one([for r in aws_s3_bucket_lifecycle_configuration.state.rule : r if r.id == "expire-noncurrent-versions"]).status == "Enabled"
    )
    error_message = "Noncurrent versions expire after 90 days, keeping the newest 10."
  }

  assert {
    condition     = aws_s3_bucket.state.object_lock_enabled == false && length(aws_s3_bucket_object_lock_configuration.state) == 0
    error_message = "Object lock is opt-in."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.state) == 0
    error_message = "No access logging without a log bucket."
  }

  # a_deploy_role_per_environment_reaches_only_its_own_state
  assert {
    condition = (
      toset(keys(output.deploy_role_arns)) == toset(["dev", "staging", "prod"]) &&
      module.github_oidc.role_names == { dev = "bazaar-deploy-dev", staging = "bazaar-deploy-staging", prod = "bazaar-deploy-prod" }
    )
    error_message = "One deploy role per GitHub environment, <name>-deploy-<environment>."
  }

  assert {
    condition     = output.github_oidc_provider_arn == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    error_message = "The bootstrap creates the account's GitHub OIDC provider by default."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      toset(flatten([for s in jsondecode(module.github_oidc.inline_policies[environment]["terraform-state"]).Statement : s.Resource])) == toset([
        aws_s3_bucket.state.arn,
        "${aws_s3_bucket.state.arn}/envs/${environment}/*",
        aws_kms_key.state.arn,
      ])
    ])
    error_message = "Each role's state policy names this bucket, only its own envs/<environment>/ objects, and this key."
  }

  assert {
    condition = one([
      for s in jsondecode(module.github_oidc.inline_policies["dev"]["terraform-state"]).Statement : s if s.Sid == "ListOwnState"
    ]).Condition.StringLike["s3:prefix"] == ["envs/dev/", "envs/dev/*"]
    error_message = "dev lists only envs/dev/: the key its backend is initialised with (envs/dev/terraform.tfstate)."
  }

  assert {
    condition     = !strcontains(module.github_oidc.inline_policies["dev"]["terraform-state"], "staging") && !strcontains(module.github_oidc.inline_policies["dev"]["terraform-state"], "prod")
    error_message = "dev's state policy reaches nothing of staging or prod."
  }

  assert {
    condition = (
      keys(module.github_oidc.inline_policies["dev"]) == ["deny-other-environments", "ecr-push", "terraform-state"] &&
      contains(keys(module.github_oidc.inline_policies["staging"]), "ecr-promote-from-dev") &&
      contains(keys(module.github_oidc.inline_policies["prod"]), "ecr-promote-from-staging")
    )
    error_message = "By default staging promotes from dev and prod from staging; dev from nothing."
  }

  # a_read_only_plan_role_per_environment_reads_only_its_own_state
  assert {
    condition = (
      toset(keys(output.plan_role_arns)) == toset(["dev", "staging", "prod"]) &&
      module.github_oidc.plan_role_names == { dev = "bazaar-plan-dev", staging = "bazaar-plan-staging", prod = "bazaar-plan-prod" }
    )
    error_message = "One plan role per environment, <name>-plan-<environment>."
  }

  assert {
    condition = output.github_environments == {
      dev     = { deploy = "dev", plan = "dev-plan" }
      staging = { deploy = "staging", plan = "staging-plan" }
      prod    = { deploy = "prod", plan = "prod-plan" }
    }
    error_message = "Each environment needs two GitHub environments: <env> (deploy) and <env>-plan (plan)."
  }

  assert {
    condition = alltrue([
      for environment in ["dev", "staging", "prod"] :
      toset(flatten([for s in jsondecode(module.github_oidc.plan_policies[environment]["terraform-state-read"]).Statement : s.Resource])) == toset([
        aws_s3_bucket.state.arn,
        "${aws_s3_bucket.state.arn}/envs/${environment}/terraform.tfstate",
        aws_kms_key.state.arn,
      ]) &&
      toset(flatten([for s in jsondecode(module.github_oidc.plan_policies[environment]["terraform-state-read"]).Statement : s.Action])) == toset(["s3:ListBucket", "s3:GetObject", "kms:Decrypt"])
    ])
    error_message = "Each plan role reads only its own state object through this key, and writes nothing (plans run with -lock=false)."
  }

  # each_environment_gets_its_boundaries
  assert {
    condition = output.workload_boundary_arns == {
      dev     = "arn:aws:iam::111122223333:policy/bazaar-dev-workload-boundary"
      staging = "arn:aws:iam::111122223333:policy/bazaar-staging-workload-boundary"
      prod    = "arn:aws:iam::111122223333:policy/bazaar-prod-workload-boundary"
    }
    error_message = "The workload boundaries are at the ARN the platform computes: arn:<partition>:iam::<account>:policy/bazaar-<env>-workload-boundary."
  }

  assert {
    condition     = output.deploy_boundary_arns["prod"] == "arn:aws:iam::111122223333:policy/bazaar-deploy-prod-boundary"
    error_message = "Each deploy role has its own deploy boundary."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(module.github_oidc.boundary_policies["dev"].deploy).Statement :
      s.Effect == "Deny" && contains(s.Action, "s3:PutBucket*") && try(s.Resource, []) == [aws_s3_bucket.state.arn]
    ])
    error_message = "No deploy role may change this bucket's policy or configuration."
  }

  assert {
    condition = (
      strcontains(module.github_oidc.deploy_policies["staging"]["bazaar-deploy-staging-identity"], "cognito-idp:AdminCreateUser") &&
      !strcontains(module.github_oidc.deploy_policies["prod"]["bazaar-deploy-prod-identity"], "cognito-idp:AdminCreateUser")
    )
    error_message = "By default only staging's deploy role manages its pool's users (the release's load test)."
  }
}

run "object_lock_retains_every_version_in_governance_mode" {
  command = plan

  variables {
    enable_object_lock         = true
    object_lock_retention_days = 14
    access_log_bucket          = "bazaar-access-logs-111122223333"
  }

  assert {
    condition = (
      aws_s3_bucket.state.object_lock_enabled == true &&
      aws_s3_bucket_object_lock_configuration.state[0].rule[0].default_retention[0].mode == "GOVERNANCE" &&
      aws_s3_bucket_object_lock_configuration.state[0].rule[0].default_retention[0].days == 14
    )
    error_message = "With object lock every version is retained 14 days in GOVERNANCE mode."
  }

  assert {
    condition     = aws_s3_bucket_logging.state[0].target_bucket == "bazaar-access-logs-111122223333"
    error_message = "Access logs go to the given bucket."
  }
}

run "administrator_access_is_refused" {
  command = plan

  variables {
    deploy_environments = {
      dev = { policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] }
    }
  }

  expect_failures = [var.deploy_environments]
}

run "the_deploy_roles_can_reuse_an_existing_provider" {
  command = plan

  variables {
    create_github_oidc_provider = false
  }

  override_data {
    target = module.github_oidc.data.aws_iam_openid_connect_provider.github[0]
    values = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
  }

  assert {
    condition     = output.github_oidc_provider_arn == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
    error_message = "With create_github_oidc_provider = false the roles trust the account's existing provider."
  }
}

run "a_wildcard_github_repository_is_refused" {
  command = plan

  variables {
    github_repository = "example-org/*"
  }

  expect_failures = [var.github_repository]
}

run "a_promotion_from_an_unknown_environment_is_refused" {
  command = plan

  variables {
    deploy_environments = {
      dev     = {}
      staging = { promotes_from = "qa" }
    }
  }

  expect_failures = [var.deploy_environments]
}

run "a_bucket_name_s3_would_refuse_is_refused" {
  command = plan

  variables {
    bucket_name = "Bazaar_TFState"
  }

  expect_failures = [var.bucket_name]
}

run "a_dotted_bucket_name_is_refused" {
  command = plan

  variables {
    bucket_name = "bazaar.tfstate"
  }

  expect_failures = [var.bucket_name]
}

run "a_deletion_window_outside_7_to_30_days_is_refused" {
  command = plan

  variables {
    kms_deletion_window_days = 3
  }

  expect_failures = [var.kms_deletion_window_days]
}
