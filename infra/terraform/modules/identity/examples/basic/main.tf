# The users of a dev environment: an admin-created pool with the customers and
# admins groups, and a public app client for SRP sign-in.
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

module "identity" {
  source = "../.."

  name = "bazaar-dev"

  advanced_security_mode        = "ENFORCED"
  access_token_validity_minutes = 60
  domain                        = "bazaar-dev-login"

  resource_server_scopes = {
    "orders.read"  = "Read orders"
    "orders.write" = "Place and cancel orders"
  }
  callback_urls = ["https://dev.bazaar.example/auth/callback"]
  logout_urls   = ["https://dev.bazaar.example/"]

  tags = { Component = "identity" }
}

# What the services are configured with.
output "auth_issuer" {
  description = "AUTH_ISSUER."
  value       = module.identity.issuer
}

output "auth_jwks_url" {
  description = "AUTH_JWKS_URL."
  value       = module.identity.jwks_url
}

output "auth_client_ids" {
  description = "AUTH_CLIENT_IDS."
  value       = module.identity.client_id
}
