variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): used in descriptions and tags. DNS names are not prefixed, the namespace already scopes them to the environment."
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

variable "namespace" {
  description = "The private DNS namespace (a Route 53 private hosted zone in vpc_id), e.g. \"bazaar.internal\": service <svc> resolves as <svc>.<namespace>."
  type        = string

  validation {
    condition = (
      length(var.namespace) <= 253 &&
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    )
    error_message = "namespace must be a lower-case DNS name of at least two labels without a trailing dot, e.g. \"bazaar.internal\"."
  }
}

variable "vpc_id" {
  description = "The VPC the namespace's private hosted zone is associated with (module.network.vpc_id)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-0123456789abcdef0)."
  }
}

variable "services" {
  description = "The catalog's services (module.catalog.services): one Cloud Map service per key. No attribute is read."
  type        = map(object({}))

  validation {
    condition     = length(var.services) > 0
    error_message = "services must hold at least one service."
  }

  validation {
    condition     = alltrue([for service in keys(var.services) : length(service) <= 31 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", service))])
    error_message = "Every service name must be 1-31 characters of a-z, 0-9 and single '-' between them, starting with a letter (it is a DNS label)."
  }
}

variable "dns_ttl" {
  description = "TTL in seconds of every service's A records: short, so clients stop resolving a stopped task quickly."
  type        = number
  default     = 10

  validation {
    condition     = var.dns_ttl >= 0 && var.dns_ttl <= 300 && floor(var.dns_ttl) == var.dns_ttl
    error_message = "dns_ttl must be a whole number of seconds from 0 to 300."
  }
}

variable "force_destroy" {
  description = "Let terraform delete a Cloud Map service that still has registered instances (dev/local only; ECS deregisters tasks itself)."
  type        = bool
  default     = false
}
