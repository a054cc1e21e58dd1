variable "name" {
  description = "Prefix of the role names, e.g. \"bazaar\": roles are <name>-deploy-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "repository" {
  description = "The GitHub repository whose workflows may assume the roles, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository)) && !strcontains(var.repository, "*")
    error_message = "repository must be owner/name, with no wildcard."
  }
}

variable "environments" {
  description = "One deploy role per GitHub environment (dev, staging, prod): the managed policies it gets (the platform permissions terraform apply needs), an optional permissions boundary, and optionally the environment whose images it may pull to promote them (staging: \"dev\", prod: \"staging\")."
  type = map(object({
    policy_arns              = list(string)
    permissions_boundary_arn = optional(string)
    promotes_from            = optional(string)
  }))

  validation {
    condition     = length(var.environments) > 0 && alltrue([for name in keys(var.environments) : can(regex("^[A-Za-z0-9_-]+$", name))])
    error_message = "environments must name at least one GitHub environment, each of letters, digits, '_' and '-' only."
  }

  validation {
    # A conditional, not ||: Terraform 1.11 evaluates both sides of ||.
    condition = alltrue([
      for environment, role in var.environments :
      role.promotes_from == null ? true : (role.promotes_from != environment && contains(keys(var.environments), role.promotes_from))
    ])
    error_message = "promotes_from must name another key of environments (e.g. staging promotes_from \"dev\"), not the environment itself."
  }
}

variable "state" {
  description = "The Terraform state bucket and its KMS key (infra/terraform/bootstrap): each role may then reach only <key_prefix>/<environment>/ in it (state and lock file). Null: no state permissions."
  type = object({
    bucket_arn  = string
    kms_key_arn = string
    key_prefix  = optional(string, "envs")
  })
  default = null

  validation {
    condition     = var.state == null ? true : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state.bucket_arn))
    error_message = "state.bucket_arn must be a bucket's ARN (arn:aws:s3:::<bucket>), no wildcard and no key."
  }

  validation {
    condition     = var.state == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.state.kms_key_arn))
    error_message = "state.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias and no wildcard."
  }

  validation {
    condition     = var.state == null ? true : can(regex("^[A-Za-z0-9_.=-]+(/[A-Za-z0-9_.=-]+)*$", var.state.key_prefix))
    error_message = "state.key_prefix must be a key prefix such as \"envs\": no leading or trailing '/', no wildcard."
  }
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC identity provider. False when the account has one already (there can be only one per URL)."
  type        = bool
  default     = true
}

variable "max_session_seconds" {
  description = "How long a deploy job's credentials last."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_seconds >= 900 && var.max_session_seconds <= 43200
    error_message = "max_session_seconds must be within 900..43200 (IAM's limits)."
  }
}

variable "tags" {
  description = "Tags for every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
