# The GitHub Actions deploy roles live here, beside the state they reach:
# once per account, with an administrator's credentials, like the bucket.
# deploy.yml then assumes <name>-deploy-<environment> through OIDC; each
# role may reach only envs/<environment>/ of this bucket (and this key),
# push to its own environment's repositories and, for staging and prod, pull
# the previous environment's images to promote them.
module "github_oidc" {
  source = "../modules/github-oidc"

  name            = var.name
  repository      = var.github_repository
  create_provider = var.create_github_oidc_provider
  environments = {
    for environment, role in var.deploy_environments : environment => {
      policy_arns              = role.policy_arns
      permissions_boundary_arn = role.permissions_boundary_arn
      promotes_from            = role.promotes_from
    }
  }

  # The environments' backend keys are envs/<environment>/terraform.tfstate.
  state = {
    bucket_arn  = aws_s3_bucket.state.arn
    kms_key_arn = aws_kms_key.state.arn
    key_prefix  = "envs"
  }
}
