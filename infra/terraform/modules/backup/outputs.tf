output "vault_arn" {
  description = "ARN of the backup vault \"<name>\"."
  value       = aws_backup_vault.this.arn
}

output "vault_name" {
  description = "Name of the backup vault (\"<name>\"): start-restore-job and list-recovery-points-by-backup-vault take it."
  value       = aws_backup_vault.this.name
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "role_arn" {
  description = "ARN of the role AWS Backup assumes (\"<name>-backup\"): pass it as --iam-role-arn to aws backup start-restore-job."
  value       = aws_iam_role.this.arn
}

output "kms_key_arn" {
  description = "ARN of the vault's KMS key."
  value       = aws_kms_key.this.arn
}

output "recovery_point_objective" {
  description = <<-EOT
    What this configuration promises, for docs/disaster-recovery.md:
    in_region_minutes, the most data a restore in this region loses (about 5 with
    continuous backup, to the latest restorable time; else a day plus the start window,
    from the last daily snapshot); point_in_time_restore; restorable_days, how far back
    a restore can go (the longer of the two rules); cross_region_minutes, the same
    for a restore from the second region's copies (a day plus the start window, the
    copy's own time aside; null without copy_vault_arn); protected, false when no
    selection assigns the cluster to the plan (enable_selection = false), so nothing
    is promised at all.
  EOT
  value = {
    protected             = var.enable_selection
    point_in_time_restore = var.enable_selection && var.enable_continuous_backup
    in_region_minutes     = !var.enable_selection ? null : (var.enable_continuous_backup ? 5 : 24 * 60 + var.start_window_minutes)
    restorable_days       = !var.enable_selection ? null : max(var.daily_retention_days, var.enable_continuous_backup ? var.continuous_retention_days : 0)
    cross_region_minutes  = !var.enable_selection || var.copy_vault_arn == null ? null : 24 * 60 + var.start_window_minutes
  }
}
