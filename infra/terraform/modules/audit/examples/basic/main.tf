# The audit trail of a dev environment: its own account, so its own trail
# and recorder. Dev is disposable and runs without deletion protection, so
# it gets no deletion-protection rule and short, GOVERNANCE-mode retention.
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

module "audit" {
  source = "../.."

  name = "bazaar-dev"

  # The environment's alarm topic (made elsewhere; its policy lets
  # events.amazonaws.com publish).
  alarm_topic_arn = "arn:aws:sns:eu-west-1:111122223333:bazaar-dev-alarms"

  deletion_protection = false

  # Dev: 30 days in both buckets, and an administrator may purge the trail's
  # early (GOVERNANCE). Staging and prod keep the defaults: 365 days,
  # COMPLIANCE, no force_destroy.
  retention_days   = 30
  object_lock_mode = "GOVERNANCE"
  force_destroy    = true

  # An organisation that already runs a trail and a recorder in the account:
  #   enable_trail           = false
  #   manage_config_recorder = false
  # An account that already has AWS Config's service-linked role (one per
  # account; creating it again fails), with the recorder still made here:
  #   create_config_service_linked_role = false

  tags = { Component = "audit" }
}

output "audit_bucket" {
  description = "Where the trail delivers (object-locked)."
  value       = module.audit.bucket_name
}

output "config_bucket" {
  description = "Where AWS Config delivers (its own bucket: Config does not deliver to an object-locked one)."
  value       = module.audit.config_bucket_name
}

output "audit_kms_key_arn" {
  description = "The key readers of the audit logs need kms:Decrypt on."
  value       = module.audit.kms_key_arn
}

output "config_rule_names" {
  description = "The Config rules, by AWS's rule name."
  value       = module.audit.config_rule_names
}
