variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): the bucket is <name>-event-archive-<account id>, the key's alias alias/<name>/event-archive."
  type        = string

  validation {
    # "<name>-event-archive-<account id>": 36 + 15 + 12 fills S3's 63.
    condition     = length(var.name) >= 2 && length(var.name) <= 36 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name))
    error_message = "name must be 2-36 characters of a-z, 0-9 and single '-' between them, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes tags (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "lock_mode" {
  description = "Default object lock retention mode of every new object version: COMPLIANCE (no one, the account root included, can delete a version or shorten its lock before lock_days) or GOVERNANCE (principals with s3:BypassGovernanceRetention can)."
  type        = string
  default     = "COMPLIANCE"

  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.lock_mode)
    error_message = "lock_mode must be COMPLIANCE or GOVERNANCE."
  }
}

variable "lock_days" {
  description = "Days each object version stays locked after it is written. Nothing expires the objects afterwards: the lock ends, the archive stays."
  type        = number
  default     = 365

  validation {
    # S3 object lock default retention allows up to 100 years.
    condition     = var.lock_days >= 1 && var.lock_days <= 36500 && floor(var.lock_days) == var.lock_days
    error_message = "lock_days must be a whole number of days from 1 to 36500."
  }
}

variable "object_lock_enabled" {
  description = "Create the bucket with S3 Object Lock and the default retention of lock_mode and lock_days. Only an emulator without object lock should set false; changing it replaces the bucket."
  type        = bool
  default     = true
}

variable "enable_bucket_policy" {
  description = "Attach the bucket policy (TLS only, SSE-KMS with the archive's key only, no delete markers). False only on an emulator: moto evaluates a bucket policy's Deny statements without their conditions (it checks StringEquals alone), so the TLS-only statement refuses every object call over its plain HTTP."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "A customer managed KMS key to encrypt the archive with (its policy must let the account's IAM policies use it). Null: the module makes its own, alias/<name>/event-archive, with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the module's destroyed KMS key is deleted (7-30 days); unused with kms_key_arn."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "transition_to_standard_ia_days" {
  description = "Days after which an object under events/ moves to STANDARD_IA (at least 30, S3's minimum)."
  type        = number
  default     = 30

  validation {
    condition     = var.transition_to_standard_ia_days >= 30 && floor(var.transition_to_standard_ia_days) == var.transition_to_standard_ia_days
    error_message = "transition_to_standard_ia_days must be a whole number of 30 or more."
  }
}

variable "transition_to_glacier_ir_days" {
  description = "Days after which an object under events/ moves to GLACIER_IR (Glacier Instant Retrieval: GetObject still answers at once), at least 30 days after the STANDARD_IA transition."
  type        = number
  default     = 90

  validation {
    # STANDARD_IA bills 30 days at least; S3 refuses a shorter stay there.
    condition     = var.transition_to_glacier_ir_days >= var.transition_to_standard_ia_days + 30 && floor(var.transition_to_glacier_ir_days) == var.transition_to_glacier_ir_days
    error_message = "transition_to_glacier_ir_days must be a whole number, at least transition_to_standard_ia_days + 30."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a noncurrent version (an object someone deleted by version once its lock allowed, or overwrote) is kept before the lifecycle removes it. S3 never removes a version whose lock still runs."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of 1 or more."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` empty and delete the bucket (disposable environments only). Locked versions still stay: under GOVERNANCE the destroying principal needs s3:BypassGovernanceRetention; under COMPLIANCE nothing deletes them before lock_days, and the bucket cannot go."
  type        = bool
  default     = false
}

variable "access_logs_bucket" {
  description = "Name of an existing bucket that receives the archive's S3 server access logs (under s3/<bucket>/); it must let logging.s3.amazonaws.com write. Null: no server access logs."
  type        = string
  default     = null

  validation {
    condition     = var.access_logs_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_logs_bucket, "x")))
    error_message = "access_logs_bucket must be an S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-')."
  }
}
