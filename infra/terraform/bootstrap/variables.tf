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

variable "name" {
  description = "The project's prefix: the deploy roles are <name>-deploy-<environment>, and they push to the repositories <name>-<environment>/<service>."
  type        = string
  default     = "bazaar"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose deploy workflow may assume the deploy roles, from its GitHub environments only."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository)) && !strcontains(var.github_repository, "*")
    error_message = "github_repository must be owner/name, with no wildcard."
  }
}

variable "deploy_environments" {
  description = <<-EOT
    One deploy role per GitHub environment. policy_arns are the platform
    permissions terraform apply of that environment needs (it creates VPCs,
    IAM roles, databases, ...): empty by default, so the operator must attach
    them, e.g. a policy they write, or AdministratorAccess with a
    permissions_boundary_arn. promotes_from: the environment whose images the
    role may pull to promote them.
  EOT
  type = map(object({
    policy_arns              = optional(list(string), [])
    permissions_boundary_arn = optional(string)
    promotes_from            = optional(string)
  }))
  default = {
    dev     = {}
    staging = { promotes_from = "dev" }
    prod    = { promotes_from = "staging" }
  }

  validation {
    # A conditional, not ||: Terraform 1.11 evaluates both sides of ||.
    condition = alltrue([
      for environment, role in var.deploy_environments :
      role.promotes_from == null ? true : (role.promotes_from != environment && contains(keys(var.deploy_environments), role.promotes_from))
    ])
    error_message = "promotes_from must name another key of deploy_environments (e.g. staging promotes_from \"dev\"), not the environment itself."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider. False when the account already has one (only one per URL is possible)."
  type        = bool
  default     = true
}
