# Cloud Map names for every service in this repository's catalog, inside the
# environment's VPC: orders resolves as orders.dev.bazaar.internal.
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

module "network" {
  source = "../../../network"

  name               = "bazaar-dev"
  az_count           = 2
  single_nat_gateway = true
}

module "discovery" {
  source = "../.."

  name      = "bazaar-dev"
  namespace = "dev.bazaar.internal"
  vpc_id    = module.network.vpc_id
  services  = module.catalog.services
}

output "service_dns_names" {
  description = "What each service resolves as."
  value       = module.discovery.service_dns_names
}

output "service_arns" {
  description = "aws_ecs_service.service_registries.registry_arn, by service."
  value       = module.discovery.service_arns
}
