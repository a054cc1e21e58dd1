# Plan and deploy roles for a fork of this repository, once per account:
# per environment a read-only plan role (GitHub environment <env>-plan) and
# a deploy role (GitHub environment <env>) holding least-privilege platform
# policies under its deploy boundary, and the workload boundary every role
# the platform makes must carry. Each deploy role reaches its own state,
# pushes to its own repositories and (staging, prod) pulls the previous
# environment's images to promote them.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "github_oidc" {
  source     = "../.."
  name       = "bazaar"
  repository = "example-org/bazaar"
  environments = {
    dev = {}
    # The release's load test creates temporary users in staging's pool.
    staging = { promotes_from = "dev", load_test_users = true }
    prod    = { promotes_from = "staging" }
  }
  # The outputs bucket_arn and kms_key_arn of infra/terraform/bootstrap.
  state = {
    bucket_arn  = "arn:aws:s3:::bazaar-tfstate-111122223333-eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

output "deploy_role_arns" {
  description = "Deploy role per environment: the AWS_ROLE_ARN variable of the GitHub environment <env>."
  value       = module.github_oidc.role_arns
}

output "plan_role_arns" {
  description = "Plan role per environment: the AWS_ROLE_ARN variable of the GitHub environment <env>-plan."
  value       = module.github_oidc.plan_role_arns
}

output "workload_boundary_arns" {
  description = "The permissions boundary every role of each environment's platform carries."
  value       = module.github_oidc.workload_boundary_arns
}
