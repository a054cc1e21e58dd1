variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): repositories are named \"<name>/<service>\"."
  type        = string

  validation {
    condition     = length(var.name) >= 2 && length(var.name) <= 31 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and single '-' between them, starting with a letter (it prefixes names, ECR paths and DNS labels)."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "services" {
  description = "The catalog's services (module.catalog.services): one repository per key. No attribute is read."
  type        = map(object({}))

  validation {
    condition     = length(var.services) > 0
    error_message = "services must hold at least one service."
  }

  validation {
    condition     = alltrue([for service in keys(var.services) : length(service) <= 31 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", service))])
    error_message = "Every service name must be 1-31 characters of a-z, 0-9 and single '-' between them, starting with a letter."
  }
}

variable "keep_images" {
  description = "How many tagged images each repository keeps; older tagged images expire."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 1000 && floor(var.keep_images) == var.keep_images
    error_message = "keep_images must be a whole number from 1 to 1000."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which an untagged image (a superseded build layer set) expires."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1 && floor(var.untagged_expiry_days) == var.untagged_expiry_days
    error_message = "untagged_expiry_days must be a whole number of at least 1."
  }
}

variable "force_delete" {
  description = "Let terraform destroy repositories that still hold images. Only for dev/local environments."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key that encrypts the repositories. Null: the module creates a customer managed key with rotation on."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a destroyed module-created KMS key is deleted (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be from 7 to 30."
  }
}
