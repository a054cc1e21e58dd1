locals {
  # The vault events AWS Backup still sends (PutBackupVaultNotifications).
  # BACKUP_JOB_FAILED, BACKUP_JOB_SUCCESSFUL, BACKUP_JOB_EXPIRED,
  # RESTORE_JOB_SUCCESSFUL, RESTORE_JOB_FAILED and BACKUP_PLAN_* are still
  # accepted by the API but deprecated: nothing is ever published for them,
  # so a configuration naming them would look watched and be silent.
  supported_vault_events = [
    "BACKUP_JOB_STARTED",
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_STARTED",
    "COPY_JOB_SUCCESSFUL",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_STARTED",
    "RESTORE_JOB_COMPLETED",
    "RECOVERY_POINT_MODIFIED",
    "CONTINUOUS_BACKUP_INTERRUPTED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
  ]
}

variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-prod\"): the vault and plan are named after it, the role \"<name>-backup\", the key \"alias/<name>-backup\"."
  type        = string

  validation {
    # A vault name is at most 50 characters; IAM role names allow 64, so the
    # vault is the tighter limit.
    condition     = can(regex("^[a-z][a-z0-9-]{1,48}[a-z0-9]$", var.name))
    error_message = "name must be 3-50 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "cluster_arn" {
  description = "ARN of the Aurora cluster to protect (modules/database output cluster_arn). The ARN names the cluster by identifier, so a cluster restored and renamed to the same identifier stays selected."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:[a-z][a-z0-9-]{0,62}$", var.cluster_arn))
    error_message = "cluster_arn must be an Aurora cluster ARN (arn:aws:rds:<region>:<account>:cluster:<identifier>)."
  }
}

variable "sns_topic_arn" {
  description = "SNS topic (standard, not FIFO; in this account and region) the vault's events go to. Its policy must let backup.amazonaws.com publish, and if it is KMS-encrypted its key must let AWS Backup use it."
  type        = string

  validation {
    # AWS Backup refuses FIFO topics and topics of other accounts.
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.sns_topic_arn))
    error_message = "sns_topic_arn must be a standard SNS topic ARN (FIFO topics, ending in .fifo, are not supported by AWS Backup)."
  }
}

variable "notification_events" {
  description = "Vault events sent to sns_topic_arn (the alarm topic, so only what someone should read). A failed backup job is not among them: BACKUP_JOB_FAILED is deprecated and never sent, and BACKUP_JOB_COMPLETED would mail every success; alerts.tf's EventBridge rule sends only the failed, aborted and expired jobs."
  type        = list(string)
  default     = ["COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"]

  validation {
    condition     = length(var.notification_events) > 0 && alltrue([for event in var.notification_events : contains(local.supported_vault_events, event)])
    error_message = "notification_events must be a non-empty list of events AWS Backup still sends: BACKUP_JOB_STARTED, BACKUP_JOB_COMPLETED, COPY_JOB_STARTED, COPY_JOB_SUCCESSFUL, COPY_JOB_FAILED, RESTORE_JOB_STARTED, RESTORE_JOB_COMPLETED, RECOVERY_POINT_MODIFIED, CONTINUOUS_BACKUP_INTERRUPTED, S3_BACKUP_OBJECT_FAILED, S3_RESTORE_OBJECT_FAILED (BACKUP_JOB_FAILED and the other *_SUCCESSFUL/*_FAILED job events are deprecated and never sent)."
  }
}

variable "daily_schedule" {
  description = "When the daily snapshot starts (an AWS Backup cron expression, UTC). The default, 05:00, is after the database's backup window (02:00-03:00) and its Sunday maintenance window (04:00-05:00)."
  type        = string
  default     = "cron(0 5 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)$", var.daily_schedule))
    error_message = "daily_schedule must be an AWS cron expression of six fields, e.g. cron(0 5 * * ? *)."
  }
}

variable "start_window_minutes" {
  description = "Minutes after the scheduled time within which a backup job must start, or it is cancelled (and the day has no snapshot)."
  type        = number
  default     = 60

  validation {
    condition     = var.start_window_minutes >= 60 && var.start_window_minutes <= 1440 && floor(var.start_window_minutes) == var.start_window_minutes
    error_message = "start_window_minutes must be a whole number from 60 (AWS Backup's minimum) to 1440."
  }
}

variable "completion_window_minutes" {
  description = "Minutes after it started within which a backup job must complete, or it is cancelled. An Aurora snapshot is a storage-level copy and usually takes minutes."
  type        = number
  default     = 240

  validation {
    condition     = var.completion_window_minutes >= var.start_window_minutes + 60 && var.completion_window_minutes <= 10080 && floor(var.completion_window_minutes) == var.completion_window_minutes
    error_message = "completion_window_minutes must be a whole number, at least start_window_minutes + 60 and at most 10080 (7 days)."
  }
}

variable "daily_retention_days" {
  description = "Days each daily snapshot is kept in the vault (longer than the 35 days point-in-time restore can reach back)."
  type        = number
  default     = 35

  validation {
    condition     = var.daily_retention_days >= 1 && var.daily_retention_days <= 36500 && floor(var.daily_retention_days) == var.daily_retention_days
    error_message = "daily_retention_days must be a whole number of days from 1 to 36500."
  }
}

variable "enable_continuous_backup" {
  description = "A continuous rule: AWS Backup keeps the cluster's point-in-time restore (to within about 5 minutes) for continuous_retention_days. AWS Backup then manages the cluster's automated backup retention: keep the database module's backup_retention_period equal to continuous_retention_days, or the two fight."
  type        = bool
  default     = true
}

variable "continuous_schedule" {
  description = "When AWS Backup runs the continuous rule's daily job (an AWS Backup cron expression, UTC): away from daily_schedule, so the two rules' jobs for the cluster never start together."
  type        = string
  default     = "cron(0 17 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)$", var.continuous_schedule))
    error_message = "continuous_schedule must be an AWS cron expression of six fields, e.g. cron(0 17 * * ? *)."
  }

  validation {
    condition     = var.continuous_schedule != var.daily_schedule
    error_message = "continuous_schedule must differ from daily_schedule: when two rules' jobs for the same resource overlap, AWS Backup runs only one of them."
  }
}

variable "continuous_retention_days" {
  description = "Days the continuous rule keeps point-in-time restore: 1-35 (35 is the most AWS Backup and Aurora allow)."
  type        = number
  default     = 35

  validation {
    condition     = var.continuous_retention_days >= 1 && var.continuous_retention_days <= 35 && floor(var.continuous_retention_days) == var.continuous_retention_days
    error_message = "continuous_retention_days must be a whole number from 1 to 35."
  }
}

variable "copy_vault_arn" {
  description = "A backup vault in a second region that every daily snapshot is copied to (made elsewhere, with its own KMS key). Null: no copy. Continuous (point-in-time) backups are not copied: the second region restores to the last daily snapshot."
  type        = string
  default     = null

  validation {
    condition     = var.copy_vault_arn == null || can(regex("^arn:aws[a-z-]*:backup:[a-z0-9-]+:[0-9]{12}:backup-vault:[A-Za-z0-9_-]{2,50}$", coalesce(var.copy_vault_arn, "x")))
    error_message = "copy_vault_arn must be a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>) or null."
  }
}

variable "copy_retention_days" {
  description = "Days a copy is kept in the second region's vault (a lock there, if any, must allow it)."
  type        = number
  default     = 35

  validation {
    condition     = var.copy_retention_days >= 1 && var.copy_retention_days <= 36500 && floor(var.copy_retention_days) == var.copy_retention_days
    error_message = "copy_retention_days must be a whole number of days from 1 to 36500."
  }
}

variable "vault_lock" {
  description = "AWS Backup Vault Lock: recovery points cannot be deleted before min_retention_days, nor kept past max_retention_days. changeable_for_days null: governance mode (principals with backup:DeleteBackupVaultLockConfiguration can still remove it). A number (3 or more): compliance mode, which after that many days nobody, AWS included, can remove or shorten, and the vault can no longer be deleted while it holds recovery points. Null: no lock."
  type = object({
    min_retention_days  = number
    max_retention_days  = optional(number)
    changeable_for_days = optional(number)
  })
  default = null

  # Terraform evaluates both sides of || and &&: nulls are coalesced to a
  # value that passes, not compared.
  validation {
    condition = var.vault_lock == null || try(
      var.vault_lock.min_retention_days >= 1 && var.vault_lock.min_retention_days <= 36500 &&
      coalesce(var.vault_lock.max_retention_days, 36500) >= var.vault_lock.min_retention_days &&
      coalesce(var.vault_lock.max_retention_days, 36500) <= 36500,
      false
    )
    error_message = "vault_lock.min_retention_days must be 1-36500, and max_retention_days (if set) at least min_retention_days and at most 36500."
  }

  validation {
    condition     = var.vault_lock == null || try(coalesce(var.vault_lock.changeable_for_days, 3) >= 3, false)
    error_message = "vault_lock.changeable_for_days must be null (governance mode) or at least 3 (compliance mode)."
  }

  # A rule whose retention falls outside the lock makes every one of its
  # backup jobs fail: refused here instead.
  validation {
    condition = var.vault_lock == null || try(
      alltrue([
        for days in concat([var.daily_retention_days], var.enable_continuous_backup ? [var.continuous_retention_days] : []) :
        days >= var.vault_lock.min_retention_days && days <= coalesce(var.vault_lock.max_retention_days, 36500)
      ]),
      false
    )
    error_message = "daily_retention_days (and continuous_retention_days when enable_continuous_backup) must lie within vault_lock's min_retention_days..max_retention_days, or every backup job into the vault fails."
  }
}

variable "force_destroy" {
  description = "Let a destroy delete the vault with its recovery points (dev and emulators only; a locked vault refuses anyway)."
  type        = bool
  default     = false
}

# Switches for what an emulator does not implement (README "On moto"); AWS
# needs none of them.

variable "attach_aws_managed_policies" {
  description = "Attach AWSBackupServiceRolePolicyForBackup to the role and make it the role's permissions boundary. Without it the role can back up nothing: off only on moto, which has no AWS managed policies unless started with MOTO_IAM_LOAD_MANAGED_POLICIES=true."
  type        = bool
  default     = true
}

variable "enable_selection" {
  description = "Assign the cluster to the plan (aws_backup_selection). Without it the plan backs up nothing: off only on moto, which does not implement CreateBackupSelection."
  type        = bool
  default     = true
}

variable "enable_vault_notifications" {
  description = "Send the vault's events to sns_topic_arn (aws_backup_vault_notifications). Off only on moto, which does not implement PutBackupVaultNotifications."
  type        = bool
  default     = true
}
