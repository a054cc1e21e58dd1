# The database of a dev environment: one writer, each catalog service with its
# own database and role, reachable from the services' tasks only.
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

module "database" {
  source = "../.."

  name               = "bazaar-dev"
  vpc_id             = "vpc-0a1b2c3d4e5f60718"
  private_subnet_ids = ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]

  # The services' task security group and the migration job's.
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60021", "sg-0a1b2c3d4e5f60022"]

  services = module.catalog.services

  engine_version = "16.6"
  max_capacity   = 4
  instance_count = 1

  # dev pauses after 30 idle minutes (no task connected) and bills no
  # compute until the next connection.
  min_capacity             = 0
  seconds_until_auto_pause = 1800

  # Secure defaults kept (deletion_protection = true, final_snapshot = true);
  # a throwaway dev may turn both off.

  tags = { Component = "data" }
}

output "endpoint" {
  description = "The writer endpoint."
  value       = module.database.endpoint
}

output "service_secret_arns" {
  description = "Each service's DATABASE_URL secret (filled by the bootstrap job)."
  value       = module.database.service_secret_arns
}
