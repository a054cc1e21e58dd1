variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"); the user pool is \"<name>-users\", the app client \"<name>-app\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,60}[a-z0-9]$", var.name))
    error_message = "name must be 3-62 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'."
  }
}

variable "tags" {
  description = "Tags added to every resource that takes them (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "advanced_security_mode" {
  description = "Cognito threat protection: \"ENFORCED\" (block risky sign-ins), \"AUDIT\" (only record) or \"OFF\" (local/moto). AUDIT and ENFORCED put the pool on the PLUS feature plan."
  type        = string
  default     = "ENFORCED"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.advanced_security_mode)
    error_message = "advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the user pool (turn off only for dev/local)."
  type        = bool
  default     = true
}

variable "domain" {
  description = "Prefix of a Cognito hosted domain (<domain>.auth.<region>.amazoncognito.com); null: no domain."
  type        = string
  default     = null

  validation {
    condition     = var.domain == null || can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", var.domain))
    error_message = "domain must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'."
  }

  validation {
    # Cognito refuses prefixes containing these words.
    condition     = var.domain == null || !can(regex("aws|amazon|cognito", coalesce(var.domain, "-")))
    error_message = "domain must not contain \"aws\", \"amazon\" or \"cognito\"."
  }
}

variable "allow_password_auth" {
  description = "Also allow USER_PASSWORD_AUTH (the password sent to Cognito as is). For local/moto and scripted tests only; real clients use SRP."
  type        = bool
  default     = false
}

variable "allow_admin_password_auth" {
  description = "Also allow ADMIN_USER_PASSWORD_AUTH, so a release pipeline's load test can create temporary users and get real tokens for them (staging). It needs IAM credentials (cognito-idp:AdminInitiateAuth), so nothing public changes; real clients still use SRP."
  type        = bool
  default     = false
}

variable "access_token_validity_minutes" {
  description = "Minutes an access token is valid."
  type        = number
  default     = 60

  validation {
    condition     = var.access_token_validity_minutes >= 5 && var.access_token_validity_minutes <= 1440
    error_message = "access_token_validity_minutes must be between 5 and 1440 (Cognito's limits)."
  }
}

variable "id_token_validity_minutes" {
  description = "Minutes an ID token is valid."
  type        = number
  default     = 60

  validation {
    condition     = var.id_token_validity_minutes >= 5 && var.id_token_validity_minutes <= 1440
    error_message = "id_token_validity_minutes must be between 5 and 1440 (Cognito's limits)."
  }
}

variable "refresh_token_validity_days" {
  description = "Days a refresh token is valid."
  type        = number
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650
    error_message = "refresh_token_validity_days must be between 1 and 3650."
  }
}

variable "resource_server_scopes" {
  description = "Custom scopes (name => description) of a resource server \"<resource_server_identifier>\"; empty: no resource server."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for scope in keys(var.resource_server_scopes) : can(regex("^[A-Za-z0-9_.:-]{1,256}$", scope))])
    error_message = "Scope names must be 1-256 characters of letters, digits, '_', '.', ':' and '-'."
  }
}

variable "resource_server_identifier" {
  description = "Identifier of the resource server (the scope prefix); null: \"<name>-api\". Used only with resource_server_scopes."
  type        = string
  default     = null
}

variable "callback_urls" {
  description = "OAuth redirect URLs of the app client (hosted UI / authorization code flow with PKCE); empty: no OAuth flows, SRP only."
  type        = list(string)
  default     = []

  validation {
    # Cognito allows plain http only for localhost.
    condition     = alltrue([for url in var.callback_urls : can(regex("^(https://|http://localhost[:/])", url))])
    error_message = "callback_urls must be https:// (http:// only for localhost)."
  }
}

variable "logout_urls" {
  description = "Sign-out redirect URLs of the app client (with callback_urls)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for url in var.logout_urls : can(regex("^(https://|http://localhost[:/])", url))])
    error_message = "logout_urls must be https:// (http:// only for localhost)."
  }
}
