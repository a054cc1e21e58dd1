variable "environment" {
  description = "The environment whose registry this is: its repositories are bazaar-<environment>/<service>."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be \"dev\", \"staging\" or \"prod\"."
  }
}

variable "region" {
  description = "The environment's AWS region."
  type        = string
}
