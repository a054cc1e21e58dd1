variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): the cluster is named after it."
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

variable "container_insights" {
  description = "CloudWatch Container Insights level: \"enabled\" (cluster and service metrics) or \"enhanced\" (adds task- and container-level metrics, at a higher cost)."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be \"enabled\" or \"enhanced\" (it is not switchable off)."
  }
}

variable "fargate_base" {
  description = "Tasks of each service that always run on on-demand FARGATE before the weights split the rest (the floor that survives a Spot reclaim)."
  type        = number
  default     = 1

  validation {
    condition     = var.fargate_base >= 0 && var.fargate_base <= 100000 && floor(var.fargate_base) == var.fargate_base
    error_message = "fargate_base must be a whole number from 0 to 100000."
  }
}

variable "fargate_weight" {
  description = "Relative share of the tasks beyond fargate_base placed on on-demand FARGATE."
  type        = number
  default     = 1

  validation {
    condition     = var.fargate_weight >= 0 && var.fargate_weight <= 1000 && floor(var.fargate_weight) == var.fargate_weight
    error_message = "fargate_weight must be a whole number from 0 to 1000."
  }
}

variable "fargate_spot_weight" {
  description = "Relative share of the tasks beyond fargate_base placed on FARGATE_SPOT (0: no Spot; e.g. 3 with fargate_weight 1 puts three in four extra tasks on Spot)."
  type        = number
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000 && floor(var.fargate_spot_weight) == var.fargate_spot_weight
    error_message = "fargate_spot_weight must be a whole number from 0 to 1000."
  }

  validation {
    condition     = var.fargate_weight + var.fargate_spot_weight > 0
    error_message = "At least one of fargate_weight and fargate_spot_weight must be above 0."
  }
}

variable "exec_log_retention_days" {
  description = "Retention of the ECS Exec session log group, in days (a value CloudWatch Logs accepts; 0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.exec_log_retention_days)
    error_message = "exec_log_retention_days must be a retention CloudWatch Logs accepts (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for ECS Exec (session encryption and the session log group; its policy must let CloudWatch Logs use it). Null: the module creates a customer managed key with rotation on."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a destroyed module-created KMS key is deleted (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be from 7 to 30."
  }
}
