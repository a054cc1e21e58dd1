# The event archive of a dev environment, and a task role for its writer:
# GOVERNANCE for 30 days, so an administrator can still tear dev down, and
# force_destroy. Staging keeps GOVERNANCE, prod the defaults: COMPLIANCE for
# 365 days, no force_destroy (modules/platform).
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

module "event_archive" {
  source = "../.."

  name = "bazaar-dev"

  lock_mode     = "GOVERNANCE"
  lock_days     = 30
  force_destroy = true

  tags = { Component = "event-archive" }
}

# The writer's task role gets writer_policy_json inline; a reader's would
# get reader_policy_json the same way.
resource "aws_iam_role_policy" "writer" {
  name   = "bazaar-dev-audit-event-archive"
  role   = "bazaar-dev-audit-task"
  policy = module.event_archive.writer_policy_json
}

output "event_archive_bucket" {
  description = "The writer's and readers' EVENT_ARCHIVE_BUCKET."
  value       = module.event_archive.bucket_name
}

output "event_archive_reader_policy" {
  description = "What a reader's role (a read model, an operator's replay) is given."
  value       = module.event_archive.reader_policy_json
}
