# The messaging of one environment from this repository's catalog.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "catalog" {
  source          = "../../../catalog"
  resource_prefix = "bazaar-example"
}

module "messaging" {
  source   = "../.."
  bus_name = module.catalog.bus_name
  queues   = module.catalog.queues
}

output "queue_urls" {
  description = "Queue URL per consuming service."
  value       = module.messaging.queue_urls
}
