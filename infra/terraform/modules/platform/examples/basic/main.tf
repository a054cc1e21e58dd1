# A small environment from the platform module (envs/* are the real ones,
# with a backend and terraform.tfvars), secure defaults kept.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = { project = "bazaar", environment = "dev", managed-by = "terraform" }
  }
}

variable "image_tags" {
  description = "Service => image tag (the git sha CI pushed)."
  type        = map(string)
  default = {
    audit     = "3f2a9c1d0b7e"
    inventory = "3f2a9c1d0b7e"
    orders    = "3f2a9c1d0b7e"
    payments  = "3f2a9c1d0b7e"
  }
}

module "platform" {
  source = "../.."

  name            = "bazaar-dev"
  environment     = "dev"
  region          = "eu-west-1"
  image_tags      = var.image_tags
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

  vpc_cidr            = "10.10.0.0/16"
  az_count            = 2
  single_nat_gateway  = true
  db_min_capacity     = 0.5
  db_max_capacity     = 2
  db_instance_count   = 1
  fargate_spot_weight = 3

  # Kept at their defaults: deletion_protection = true, final_snapshot = true,
  # log_retention_days = 365 (envs/dev turns the first two off).
}

output "alb_dns_name" {
  description = "Point the API hostname here."
  value       = module.platform.alb_dns_name
}

output "repository_urls" {
  description = "Where CI pushes each service's image."
  value       = module.platform.repository_urls
}
