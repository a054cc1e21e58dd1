# A dev cluster: one on-demand task per service, the rest mostly on Spot.
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

module "cluster" {
  source = "../.."

  name = "bazaar-dev"

  fargate_base        = 1
  fargate_weight      = 1
  fargate_spot_weight = 3
}

output "cluster_arn" {
  description = "Where the services run."
  value       = module.cluster.cluster_arn
}

output "exec_log_group_name" {
  description = "Where ECS Exec sessions are recorded."
  value       = module.cluster.exec_log_group_name
}
