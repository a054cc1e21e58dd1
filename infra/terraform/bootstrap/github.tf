# The GitHub Actions roles live here, beside the state they reach: once per
# account, with an administrator's credentials, like the bucket. Per
# environment, the plan job (GitHub environment <env>-plan) assumes
# <name>-plan-<env>, which reads the state and the platform's configuration;
# the apply job (GitHub environment <env>) assumes <name>-deploy-<env>, which
# applies within its deploy boundary, creates roles only under the
# environment's workload boundary <name>-<env>-workload-boundary, reaches only
# envs/<env>/ of this bucket (and this key), pushes to its own repositories
# and, for staging and prod, pulls the previous environment's images to
# promote them.
module "github_oidc" {
  source = "../modules/github-oidc"

  name                = var.name
  repository          = var.github_repository
  create_provider     = var.create_github_oidc_provider
  environment_tag_key = var.environment_tag_key
  environments = {
    for environment, role in var.deploy_environments : environment => {
      policy_arns     = role.policy_arns
      promotes_from   = role.promotes_from
      load_test_users = role.load_test_users
      api_domain_name = role.api_domain_name
    }
  }

  # The environments' backend keys are envs/<environment>/terraform.tfstate.
  state = {
    bucket_arn  = aws_s3_bucket.state.arn
    kms_key_arn = aws_kms_key.state.arn
    key_prefix  = "envs"
    key         = "terraform.tfstate"
  }
}
