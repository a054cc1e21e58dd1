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
  description = "One deploy role per GitHub environment (dev, staging, prod): the managed policies it gets, and an optional permissions boundary."
  type = map(object({
    policy_arns              = list(string)
    permissions_boundary_arn = optional(string)
  }))

  validation {
    condition     = length(var.environments) > 0 && alltrue([for name in keys(var.environments) : can(regex("^[A-Za-z0-9_-]+$", name))])
    error_message = "environments must name at least one GitHub environment, each of letters, digits, '_' and '-' only."
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
