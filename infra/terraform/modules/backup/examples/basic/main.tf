# prod's backup: a daily snapshot kept 90 days and copied to a vault in
# eu-central-1, point-in-time restore for 35 days, a governance-mode lock,
# failures to the environment's alarm topic.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = { Project = "bazaar", Environment = "prod" }
  }
}

module "backup" {
  source = "../.."

  name        = "bazaar-prod"
  cluster_arn = "arn:aws:rds:eu-west-1:123456789012:cluster:bazaar-prod-db"
  # The bootstrap's workload boundary, as on every role the platform makes.
  # Made by another module; its policy lets backup.amazonaws.com publish.
  sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:bazaar-prod-alarms"

  daily_retention_days      = 90
  enable_continuous_backup  = true
  continuous_retention_days = 35

  # A vault of the same name in the second region, with its own key.
  copy_vault_arn      = "arn:aws:backup:eu-central-1:123456789012:backup-vault:bazaar-prod-copy"
  copy_retention_days = 90

  # Governance mode: an operator holding backup:DeleteBackupVaultLockConfiguration
  # can still lift it; compliance mode (changeable_for_days) could not be undone.
  vault_lock = { min_retention_days = 7, max_retention_days = 365 }

  tags = { Component = "backup" }
}

output "vault_name" {
  description = "Where the recovery points are."
  value       = module.backup.vault_name
}

output "recovery_point_objective" {
  description = "What the configuration promises."
  value       = module.backup.recovery_point_objective
}
