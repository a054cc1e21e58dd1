# AWS Backup of the database, besides Aurora's own automated backups
# (db_backup_retention_days): daily snapshots kept longer, optionally
# point-in-time recovery points and a copy in a second region, in a vault
# whose lock can keep even an administrator from deleting them.

module "backup" {
  source = "../backup"
  count  = var.aws_backup == null ? 0 : 1

  name          = var.name
  cluster_arn   = module.database.cluster_arn
  sns_topic_arn = module.observability.topic_arn

  daily_retention_days     = var.aws_backup.daily_retention_days
  enable_continuous_backup = var.aws_backup.continuous
  # Aurora's automated backups and the continuous rule are one retention:
  # AWS Backup sets the cluster's to its own, so they are the same number.
  continuous_retention_days = var.db_backup_retention_days
  copy_vault_arn            = var.backup_copy_vault_arn
  copy_retention_days       = coalesce(var.aws_backup.copy_retention_days, var.aws_backup.daily_retention_days)
  vault_lock = var.aws_backup.vault_lock_min_days == null ? null : {
    min_retention_days = var.aws_backup.vault_lock_min_days
    max_retention_days = max(var.aws_backup.daily_retention_days, coalesce(var.aws_backup.copy_retention_days, 0), var.db_backup_retention_days)
  }

  attach_aws_managed_policies = var.aws_managed_policies_exist
  enable_selection            = var.enable_backup_selection
  enable_vault_notifications  = var.enable_backup_vault_notifications

  tags = var.tags
}
