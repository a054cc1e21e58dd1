variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): every resource name starts with it."
  type        = string

  validation {
    # The buckets are "<name>-audit-<account id>" and "<name>-config-<account
    # id>": 31 + 8 + 12 stays within S3's 63.
    condition     = length(var.name) >= 2 && length(var.name) <= 31 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and single '-' between them, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes tags (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "enable_trail" {
  description = "Create the multi-region CloudTrail trail. A trail is account-wide: false where the organisation already runs one for this account."
  type        = bool
  default     = true
}

variable "manage_config_recorder" {
  description = "Create the AWS Config recorder, its service-linked role (see create_config_service_linked_role), delivery channel and status. A region holds one recorder per account: false where the organisation already runs one, and then only the rules and the compliance alert are made."
  type        = bool
  default     = true
}

variable "alarm_topic_arn" {
  description = "SNS topic that receives a message whenever one of this module's Config rules finds a resource NON_COMPLIANT. Its policy must let events.amazonaws.com publish (and its KMS key, if any, let EventBridge use it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)."
  }
}

variable "deletion_protection" {
  description = "Whether this environment runs its databases with deletion protection (modules/platform's deletion_protection). true adds the RDS_CLUSTER_DELETION_PROTECTION_ENABLED rule; a disposable environment without protection would only ever be NON_COMPLIANT."
  type        = bool
  default     = true
}

variable "retention_days" {
  description = "Days every audit object (trail log, digest, Config snapshot and history) is kept, then the lifecycle deletes it. In the trail's bucket object lock retains it that long; in Config's (no object lock) an overwritten or deleted object's previous version is kept that long too."
  type        = number
  default     = 365

  validation {
    # S3 object lock default retention allows up to 100 years.
    condition     = var.retention_days >= 1 && var.retention_days <= 36500 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of days from 1 to 36500."
  }
}

variable "object_lock_enabled" {
  description = "Create the trail's bucket with S3 Object Lock and a default retention of retention_days (Config's bucket never has it: Config does not deliver to such a bucket). Only an emulator without object lock should set false; changing it replaces the bucket."
  type        = bool
  default     = true
}

variable "object_lock_mode" {
  description = "Default retention mode of the trail's bucket: COMPLIANCE (no one, the account root included, can delete or shorten a lock) or GOVERNANCE (principals with s3:BypassGovernanceRetention can)."
  type        = string
  default     = "COMPLIANCE"

  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.object_lock_mode)
    error_message = "object_lock_mode must be COMPLIANCE or GOVERNANCE."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` empty and delete both buckets (disposable environments only). Object lock still refuses to delete locked versions, so a trail's bucket with objects younger than retention_days cannot go."
  type        = bool
  default     = false
}

variable "access_logs_bucket" {
  description = "Name of an existing bucket that receives S3 server access logs of both buckets (each under s3/<bucket>/); it must let logging.s3.amazonaws.com write. Null: no server access logs."
  type        = string
  default     = null

  validation {
    condition     = var.access_logs_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_logs_bucket, "x")))
    error_message = "access_logs_bucket must be an S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-')."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the destroyed audit KMS key is deleted (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "create_config_service_linked_role" {
  description = "Create AWS Config's service-linked role, AWSServiceRoleForConfig, which the recorder uses. An account holds one for all its regions and creating it again fails: false where the account already has it (the recorder then uses the existing one). Ignored when manage_config_recorder is false."
  type        = bool
  default     = true
}

variable "recording_frequency" {
  description = "How the recorder records changes: CONTINUOUS (every change, as it happens) or DAILY (one configuration item a day per changed resource; cheaper, and the change-triggered rules then evaluate a day late at worst)."
  type        = string
  default     = "CONTINUOUS"

  validation {
    condition     = contains(["CONTINUOUS", "DAILY"], var.recording_frequency)
    error_message = "recording_frequency must be CONTINUOUS or DAILY."
  }
}

variable "periodic_rule_frequency" {
  description = "How often the periodic rules (the CloudTrail ones) evaluate, and how often Config delivers a configuration snapshot."
  type        = string
  default     = "TwentyFour_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.periodic_rule_frequency)
    error_message = "periodic_rule_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}
