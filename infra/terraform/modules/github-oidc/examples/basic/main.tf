# Deploy roles for a fork of this repository, once per account: each may
# reach its own environment's state in the bootstrap's bucket, push to its
# own repositories, and (staging, prod) pull the previous environment's
# images to promote them.
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
    # The platform permissions terraform apply needs, capped by a boundary.
    dev = {
      policy_arns              = ["arn:aws:iam::aws:policy/PowerUserAccess"]
      permissions_boundary_arn = "arn:aws:iam::111122223333:policy/bazaar-deploy-boundary"
    }
    staging = {
      policy_arns              = ["arn:aws:iam::aws:policy/PowerUserAccess"]
      permissions_boundary_arn = "arn:aws:iam::111122223333:policy/bazaar-deploy-boundary"
      promotes_from            = "dev"
    }
    prod = {
      policy_arns              = ["arn:aws:iam::aws:policy/PowerUserAccess"]
      permissions_boundary_arn = "arn:aws:iam::111122223333:policy/bazaar-deploy-boundary"
      promotes_from            = "staging"
    }
  }
  # The outputs bucket_arn and kms_key_arn of infra/terraform/bootstrap.
  state = {
    bucket_arn  = "arn:aws:s3:::bazaar-tfstate-111122223333-eu-west-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

output "role_arns" {
  description = "Deploy role per environment: the AWS_ROLE_ARN variable of each GitHub environment."
  value       = module.github_oidc.role_arns
}
