# Deploy roles for a fork of this repository, once per account.
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
    dev     = { policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"] }
    staging = { policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"] }
    prod    = { policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"] }
  }
}

output "role_arns" {
  description = "Deploy role per environment."
  value       = module.github_oidc.role_arns
}
