# The environment's AWS Backup of its Aurora cluster: a vault of its own
# (own key, optional lock), a plan with a daily snapshot rule (optionally
# copied to a second region) and a continuous point-in-time rule, the
# cluster selected by ARN, and the vault's events to an SNS topic.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  region     = data.aws_region.current.name

  role_name = "${var.name}-backup"

  # The copy vault's region, from its ARN (arn:<partition>:backup:<region>:...).
  copy_region = var.copy_vault_arn == null ? null : split(":", var.copy_vault_arn)[3]
}

resource "aws_backup_vault" "this" {
  name = var.name
  # Encrypts the recovery points of services AWS Backup fully manages. An
  # Aurora snapshot stays encrypted with the cluster's own key (the database
  # module's), as RDS makes it; the key here still guards everything else
  # ever put in this vault.
  kms_key_arn   = aws_kms_key.this.arn
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock.min_retention_days
  max_retention_days  = var.vault_lock.max_retention_days
  changeable_for_days = var.vault_lock.changeable_for_days
}

resource "aws_backup_vault_notifications" "this" {
  count = var.enable_vault_notifications ? 1 : 0

  backup_vault_name   = aws_backup_vault.this.name
  sns_topic_arn       = var.sns_topic_arn
  backup_vault_events = var.notification_events
}
