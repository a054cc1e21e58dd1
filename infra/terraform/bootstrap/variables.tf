variable "region" {
  description = "Region of the state bucket and its key (the environments' backend `region`)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "bucket_name" {
  description = "Name of the Terraform state bucket, globally unique, e.g. \"bazaar-tfstate-111122223333-eu-west-1\"."
  type        = string

  validation {
    condition = (
      can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name)) &&
      !strcontains(var.bucket_name, "--") &&
      !startswith(var.bucket_name, "xn--") &&
      !endswith(var.bucket_name, "-s3alias")
    )
    error_message = "bucket_name must be 3-63 characters of a-z, 0-9 and '-' (no dots, so TLS virtual-host names always match), starting and ending with a letter or digit."
  }
}

variable "tags" {
  description = "Tags for every resource (the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the state key is deleted once scheduled: the last chance to notice that every state would become unreadable."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be 7-30."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days a superseded state version (and a released lock file's version) is kept before it expires: the window in which a broken state can be restored."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_retention_days >= 1
    error_message = "noncurrent_version_retention_days must be at least 1."
  }
}

variable "noncurrent_versions_to_keep" {
  description = "Newest superseded versions of each object kept regardless of age."
  type        = number
  default     = 10

  validation {
    condition     = var.noncurrent_versions_to_keep >= 0 && var.noncurrent_versions_to_keep <= 100
    error_message = "noncurrent_versions_to_keep must be 0-100."
  }
}

variable "enable_object_lock" {
  description = "Create the bucket with S3 Object Lock (only possible at creation): every state version is then undeletable for object_lock_retention_days, in GOVERNANCE mode."
  type        = bool
  default     = false
}

variable "object_lock_retention_days" {
  description = "Default GOVERNANCE retention of each object version when enable_object_lock is true."
  type        = number
  default     = 30

  validation {
    condition     = var.object_lock_retention_days >= 1 && var.object_lock_retention_days <= 36500
    error_message = "object_lock_retention_days must be 1-36500."
  }
}

variable "access_log_bucket" {
  description = "An existing bucket that receives S3 server access logs of the state bucket (prefix <bucket_name>/). Null: none (CloudTrail data events are the better audit of state reads)."
  type        = string
  default     = null
}
