variable "repository_root" {
  description = "The repository checkout whose services/*/src/*/service.yaml files are the catalog. Null: the checkout this module lives in."
  type        = string
  default     = null
}

variable "resource_prefix" {
  description = "The RESOURCE_PREFIX of the environment: the bus is named after it, queues and rules start with it (as bazaar_common.messaging.topology names them)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.resource_prefix))
    error_message = "resource_prefix must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }
}
