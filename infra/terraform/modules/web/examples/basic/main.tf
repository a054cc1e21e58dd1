# The browser app of a dev environment on its *.cloudfront.net name: the
# bucket, the distribution with the catalog's API paths sent to the load
# balancer, config.json with the Cognito settings, and a role that may only
# publish. modules/platform (web.tf) does the same from its own outputs.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = { Project = "bazaar", Environment = "dev" }
  }
}

module "catalog" {
  source          = "../../../catalog"
  resource_prefix = "bazaar-dev"
}

module "web" {
  source = "../.."

  name = "bazaar-dev"

  # The name the load balancer's certificate is for (the platform's api_domain_name).
  api_origin_domain_name = "api.dev.example.com"
  api_path_patterns      = [for service in values(module.catalog.services) : "${service.path_prefix}*"]

  cognito_domain_url = "https://bazaar-dev-login.auth.eu-west-1.amazoncognito.com"
  app_config = {
    auth = {
      kind         = "cognito-hosted-ui"
      authority    = "https://bazaar-dev-login.auth.eu-west-1.amazoncognito.com"
      clientId     = "1example23456789abcdefghij"
      redirectPath = "/auth/callback"
      scopes       = ["openid", "email", "profile"]
    }
  }

  # A throwaway dev: its files come back with the next release.
  force_destroy = true

  # With a name of your own: a certificate for it in us-east-1.
  # aliases             = ["shop.dev.example.com"]
  # acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/..."

  tags = { Component = "web" }
}

# A role that publishes the app and does nothing else (the release's deploy
# role gets the same from modules/github-oidc).
resource "aws_iam_role_policy" "publisher" {
  name   = "bazaar-dev-web-publisher"
  role   = "bazaar-dev-web-publisher"
  policy = module.web.deployer_policy_json
}

output "web_url" {
  description = "The app, and the API under the same origin."
  value       = module.web.url
}

output "web_bucket" {
  description = "Where the release syncs web/dist."
  value       = module.web.bucket_name
}

output "web_distribution_id" {
  description = "What the release invalidates /index.html in."
  value       = module.web.distribution_id
}
