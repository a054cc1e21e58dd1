# The observability of one environment from this repository's catalog. The
# load balancer, target group and cluster names stand in for the alb,
# cluster, service and database modules' outputs, which the platform passes.
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

locals {
  name = "bazaar-example"
}

module "observability" {
  source = "../.."

  name              = local.name
  environment       = "dev"
  services          = module.catalog.services
  queues            = module.catalog.queues
  metrics_namespace = "Bazaar/${local.name}"

  cluster_name              = local.name
  ecs_service_names         = { for svc in keys(module.catalog.services) : svc => "${local.name}-${svc}" }
  alb_arn_suffix            = "app/${local.name}-alb/0123456789abcdef"
  target_group_arn_suffixes = { for svc in keys(module.catalog.services) : svc => "targetgroup/${local.name}-${svc}/0123456789abcdef" }
  db_cluster_identifier     = "${local.name}-db"
  log_group_names           = { for svc in keys(module.catalog.services) : svc => "/ecs/${local.name}/${svc}" }

  alarm_subscriptions = [{ protocol = "email", endpoint = "oncall@example.com" }]
  thresholds          = { latency_p99_seconds = 2 }
  monthly_budget_usd  = 300
}

output "topic_arn" {
  description = "Where the alarms, the budget and other modules' notifications go."
  value       = module.observability.topic_arn
}

output "alarm_names" {
  description = "Every alarm of the environment."
  value       = module.observability.alarm_names
}

output "dashboard_name" {
  description = "The environment's dashboard."
  value       = module.observability.dashboard_name
}
