variable "name" {
  description = "The project's prefix, e.g. \"bazaar\": the roles are <name>-deploy-<environment> and <name>-plan-<environment>, and each environment's platform resources are named <name>-<environment>... (ECR repositories <name>-<environment>/<service>)."
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
  description = <<-EOT
    One platform environment per key (dev, staging, prod), each with two roles:
    <name>-plan-<env> (read-only, GitHub environment "<env>-plan") and
    <name>-deploy-<env> (apply, GitHub environment "<env>"). policy_arns: extra
    managed policies for the deploy role, for needs this module does not know
    (at most 3; its deploy boundary still caps them; AdministratorAccess,
    PowerUserAccess and IAMFullAccess are refused). promotes_from: the
    environment whose images the deploy role may pull to promote them
    (staging: "dev", prod: "staging"). load_test_users: the deploy role may create, sign in and
    delete users of the environment's Cognito pool (the release's load test).
    api_domain_name: the API's host name, whose alias record the platform
    keeps in Route 53 (the deploy role may change that one record name only).
  EOT
  type = map(object({
    policy_arns     = optional(list(string), [])
    promotes_from   = optional(string)
    load_test_users = optional(bool, false)
    api_domain_name = optional(string)
  }))

  validation {
    # Lower case: the key is part of the platform's resource names.
    condition     = length(var.environments) > 0 && alltrue([for name in keys(var.environments) : can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", name))])
    error_message = "environments must name at least one environment, each 2-20 characters of a-z, 0-9 and '-' (it is part of resource names: <name>-<environment>-...)."
  }

  validation {
    # The plan role of "dev" trusts the GitHub environment "dev-plan"; an
    # environment named "dev-plan" would have its deploy role trust the same.
    condition     = alltrue([for name in keys(var.environments) : !endswith(name, "-plan")])
    error_message = "An environment name must not end in \"-plan\": <environment>-plan is the GitHub environment of another environment's plan role."
  }

  validation {
    # <name>-deploy-* and <name>-plan-* are the pipeline's own roles and
    # policies, which every deploy role is denied: no platform may live there.
    condition     = alltrue([for name in keys(var.environments) : !startswith(name, "deploy") && !startswith(name, "plan")])
    error_message = "An environment name must not start with \"deploy\" or \"plan\" (the pipeline's own roles are <name>-deploy-* and <name>-plan-*)."
  }

  validation {
    # Every grant is scoped by the prefix <name>-<environment>-: with "prod"
    # and "prod-eu", prod's role would reach prod-eu's resources.
    condition = alltrue(flatten([
      for name in keys(var.environments) : [
        for other in keys(var.environments) : !startswith(other, "${name}-")
      ]
    ]))
    error_message = "No environment name may be another's followed by '-' (e.g. prod and prod-eu): every grant is scoped by the prefix <name>-<environment>-."
  }

  validation {
    # A conditional, not ||: Terraform 1.11 evaluates both sides of ||.
    condition = alltrue([
      for environment, role in var.environments :
      role.promotes_from == null ? true : (role.promotes_from != environment && contains(keys(var.environments), role.promotes_from))
    ])
    error_message = "promotes_from must name another key of environments (e.g. staging promotes_from \"dev\"), not the environment itself."
  }

  validation {
    condition = alltrue(flatten([
      for role in values(var.environments) : [
        for arn in role.policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn)) && !can(regex("/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$", arn))
      ]
    ]))
    error_message = "policy_arns must be IAM policy ARNs, and not AdministratorAccess, PowerUserAccess or IAMFullAccess: the deploy role's own policies are least privilege."
  }

  validation {
    # A role holds 10 managed policies by default (IAM quota); the module
    # attaches seven to each deploy role (platform-read and six deploy parts).
    condition     = alltrue([for role in values(var.environments) : length(role.policy_arns) <= 3])
    error_message = "policy_arns may hold at most 3 policies per environment: the module attaches seven and IAM's default quota is 10 managed policies per role."
  }
}

variable "state" {
  description = "The Terraform state bucket and its KMS key (infra/terraform/bootstrap): the deploy role may then read and write only <key_prefix>/<environment>/ (state and lock file), the plan role only read <key_prefix>/<environment>/<key>. Null: no state permissions."
  type = object({
    bucket_arn  = string
    kms_key_arn = string
    key_prefix  = optional(string, "envs")
    key         = optional(string, "terraform.tfstate")
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

  validation {
    condition     = var.state == null ? true : can(regex("^[A-Za-z0-9_.=-]+$", var.state.key))
    error_message = "state.key must be the state object's name within <key_prefix>/<environment>/, such as \"terraform.tfstate\": no '/', no wildcard."
  }
}

variable "environment_tag_key" {
  description = "The tag every platform resource carries with its environment's name as value (the environments' provider default_tags: environment = \"dev\"). Where IAM cannot scope by name, the deploy role may create only resources with this tag and change only resources that have it."
  type        = string
  default     = "environment"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,127}$", var.environment_tag_key)) && !startswith(lower(var.environment_tag_key), "aws:")
    error_message = "environment_tag_key must be a tag key (1-128 characters, not starting with \"aws:\")."
  }
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC identity provider. False when the account has one already (there can be only one per URL)."
  type        = bool
  default     = true
}

variable "max_session_seconds" {
  description = "How long a plan or deploy job's credentials last."
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
