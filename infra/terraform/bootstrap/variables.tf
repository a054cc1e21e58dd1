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
  description = "The project's prefix: the roles are <name>-deploy-<environment> and <name>-plan-<environment>, and each environment's platform is named <name>-<environment>... (repositories <name>-<environment>/<service>)."
  type        = string
  default     = "bazaar"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose workflows may assume the plan and deploy roles, from its GitHub environments only."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository)) && !strcontains(var.github_repository, "*")
    error_message = "github_repository must be owner/name, with no wildcard."
  }
}

variable "deploy_environments" {
  description = <<-EOT
    One platform environment per key, each with a read-only plan role
    (GitHub environment <env>-plan) and a deploy role (GitHub environment
    <env>) whose least-privilege platform policies the module writes.
    promotes_from: the environment whose images the deploy role may pull to
    promote them. load_test_users: the deploy role may create, sign in and
    delete users of the environment's own Cognito pool (the release's load
    test, staging). policy_arns: extra managed policies for a need the module
    does not cover, at most 3; the deploy boundary still caps them, and
    AdministratorAccess, PowerUserAccess and IAMFullAccess are refused.
    api_domain_name: the environment's API host name (e.g. api.dev.example.com)
    when the platform keeps its alias record in Route 53 (envs/<env>'s
    api_domain_name): the deploy role may change that record only.
  EOT
  type = map(object({
    policy_arns     = optional(list(string), [])
    promotes_from   = optional(string)
    load_test_users = optional(bool, false)
    api_domain_name = optional(string)
  }))
  default = {
    dev     = {}
    staging = { promotes_from = "dev", load_test_users = true }
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

  validation {
    condition     = alltrue(flatten([for role in values(var.deploy_environments) : [for arn in role.policy_arns : !can(regex("/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$", arn))]]))
    error_message = "policy_arns must not hold AdministratorAccess, PowerUserAccess or IAMFullAccess: the deploy roles' platform permissions are the module's least-privilege policies."
  }
}

variable "environment_tag_key" {
  description = "The tag key the environments' provider default_tags set to the environment's name (envs/<env>/providers.tf: environment = \"<env>\"): the deploy roles' scope wherever IAM cannot scope by name."
  type        = string
  default     = "environment"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,127}$", var.environment_tag_key)) && !startswith(lower(var.environment_tag_key), "aws:")
    error_message = "environment_tag_key must be a tag key (1-128 characters, not starting with \"aws:\")."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider. False when the account already has one (only one per URL is possible)."
  type        = bool
  default     = true
}
