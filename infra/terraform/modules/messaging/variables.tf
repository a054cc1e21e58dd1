variable "bus_name" {
  description = "The EventBridge bus: the catalog module's bus_name (the environment's RESOURCE_PREFIX)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.bus_name)) && var.bus_name != "default"
    error_message = "bus_name must be a custom bus name (not \"default\"): letters, digits, '.', '_' and '-'."
  }
}

variable "queues" {
  description = "The catalog module's queues: per consuming service its queue, DLQ and rule names, the detail-types it consumes (those of them that arrive point to point), its rule's event pattern, maxReceiveCount and visibility timeout."
  type = map(object({
    queue_name                 = string
    dlq_name                   = string
    rule_name                  = string
    detail_types               = list(string)
    point_to_point_types       = list(string)
    event_pattern              = string
    max_receive_count          = number
    visibility_timeout_seconds = number
  }))

  validation {
    condition     = alltrue([for queue in values(var.queues) : length(queue.detail_types) > 0])
    error_message = "Every queue must consume at least one detail-type (a service that consumes nothing has no queue)."
  }

  validation {
    condition     = alltrue([for queue in values(var.queues) : length(setsubtract(queue.point_to_point_types, queue.detail_types)) == 0])
    error_message = "A queue's point_to_point_types must be among its detail_types: a service receives point to point only what it consumes."
  }
}

variable "dlq_retention_seconds" {
  description = "How long a dead letter stays for an operator to look at and redrive (14 days, SQS's maximum, by default)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "dlq_retention_seconds must be within 60..1209600 (SQS's limits)."
  }
}

variable "queue_retention_seconds" {
  description = "How long an unconsumed message stays on a service's queue (4 days, SQS's default)."
  type        = number
  default     = 345600

  validation {
    condition     = var.queue_retention_seconds >= 60 && var.queue_retention_seconds <= 1209600
    error_message = "queue_retention_seconds must be within 60..1209600 (SQS's limits)."
  }
}

variable "restrict_dlq_sources" {
  description = "A redrive allow policy on every DLQ admitting only its own queue. Off only for moto, which does not keep the policy."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "archive_retention_days" {
  description = "Days an archive of the bus keeps every event for replay (docs/disaster-recovery.md); 0 keeps them forever. Null: no archive (a local emulator's throwaway bus)."
  type        = number
  default     = null

  validation {
    condition     = var.archive_retention_days == null || (floor(coalesce(var.archive_retention_days, 0)) == coalesce(var.archive_retention_days, 0) && coalesce(var.archive_retention_days, 0) >= 0)
    error_message = "archive_retention_days must be a whole number of days, 0 (forever) or more, or null."
  }
}
