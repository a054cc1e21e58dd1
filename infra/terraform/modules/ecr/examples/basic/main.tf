# The repositories of every service in this repository's catalog.
terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Project     = "bazaar"
      Environment = "dev"
    }
  }
}

module "catalog" {
  source          = "../../../catalog"
  resource_prefix = "bazaar-dev"
}

module "ecr" {
  source = "../.."

  name     = "bazaar-dev"
  services = module.catalog.services

  keep_images  = 10
  force_delete = true # dev only: lets `terraform destroy` remove repositories that hold images
}

output "repository_urls" {
  description = "Where CI pushes each service's image."
  value       = module.ecr.repository_urls
}
