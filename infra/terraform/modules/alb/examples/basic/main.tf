# The load balancer of a dev environment, its routes taken from the catalog.
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

module "alb" {
  source = "../.."

  name              = "bazaar-dev"
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  vpc_cidr          = "10.20.0.0/16"
  public_subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

  services = module.catalog.services

  # Secure defaults kept: deletion_protection = true, the log bucket kept on
  # destroy. A throwaway dev may set deletion_protection = false and
  # access_logs_force_destroy = true.

  # waf_rate_limit: rate_limit.json's unless set here.
  # The services accept bodies up to 64 KB; the common rule set blocks over 8 KB.
  waf_common_rule_set_count_only = ["SizeRestrictions_BODY"]

  tags = { Component = "edge" }
}

output "alb_dns_name" {
  description = "Where the public alias record points."
  value       = module.alb.alb_dns_name
}

output "target_group_arns" {
  description = "Target group by service."
  value       = module.alb.target_group_arns
}
