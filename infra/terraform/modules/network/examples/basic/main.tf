# A dev network: two AZs, one shared NAT gateway, every endpoint.
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

module "network" {
  source = "../.."

  name               = "bazaar-dev"
  cidr               = "10.20.0.0/16"
  az_count           = 2
  single_nat_gateway = true

  tags = { Component = "network" }
}

output "vpc_id" {
  description = "The VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Where the ECS tasks run."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Where the load balancer goes."
  value       = module.network.public_subnet_ids
}

output "endpoint_security_group_id" {
  description = "The interface endpoints' security group."
  value       = module.network.endpoint_security_group_id
}
