variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"); every resource name starts with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "The VPC of the database's security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, in at least two availability zones, for the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for id in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "private_subnet_ids must hold at least two subnet IDs (a DB subnet group spans two or more AZs)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (the services' tasks, the migration job) allowed to connect on the database port. No CIDR is ever allowed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "allowed_security_group_ids must be security group IDs (sg-...)."
  }
}

variable "services" {
  description = "The catalog's services (modules/catalog output `services`): each gets a connection secret for its own database and role."
  type = map(object({
    database = string
  }))

  validation {
    # The name is also the PostgreSQL role; keep it a plain identifier.
    condition     = alltrue([for key in keys(var.services) : can(regex("^[a-z][a-z0-9_]{0,62}$", key))])
    error_message = "Service names must be PostgreSQL identifiers: a lower-case letter, then a-z, 0-9 or '_'."
  }

  validation {
    condition     = alltrue([for svc in values(var.services) : can(regex("^[a-z][a-z0-9_]{0,62}$", svc.database))])
    error_message = "Every database name must be a PostgreSQL identifier: a lower-case letter, then a-z, 0-9 or '_'."
  }
}

variable "engine_version" {
  description = "Aurora PostgreSQL version, major.minor (e.g. \"16.6\")."
  type        = string
  default     = "16.6"

  validation {
    # Serverless v2 needs Aurora PostgreSQL 13 or later.
    condition     = can(regex("^[0-9]{2}\\.[0-9]{1,2}$", var.engine_version)) && tonumber(split(".", var.engine_version)[0]) >= 13
    error_message = "engine_version must be major.minor (e.g. \"16.6\") with a major version of 13 or later."
  }
}

variable "min_capacity" {
  description = "Serverless v2 minimum capacity in ACUs (0.5 steps). 0 only with seconds_until_auto_pause: the instances then pause when idle (dev)."
  type        = number
  default     = 0.5

  validation {
    condition     = (var.min_capacity == 0 || var.min_capacity >= 0.5) && var.min_capacity <= 256 && floor(var.min_capacity * 2) == var.min_capacity * 2
    error_message = "min_capacity must be 0 (with auto-pause) or between 0.5 and 256 ACUs, in steps of 0.5."
  }

  # 0 ACUs and auto-pause go together: an instance reaches 0 ACUs only by
  # pausing, and Aurora pauses only an instance allowed 0 ACUs, so either one
  # alone would look like a setting and do nothing. (One check, here: two
  # variables' validations may not refer to each other.)
  validation {
    condition     = (var.min_capacity == 0) == (var.seconds_until_auto_pause != null)
    error_message = "min_capacity = 0 and seconds_until_auto_pause go together: 0 ACUs needs seconds_until_auto_pause, and seconds_until_auto_pause needs min_capacity = 0."
  }
}

variable "seconds_until_auto_pause" {
  description = "Seconds without user connections after which an instance pauses (0 ACUs, no compute billed); the first connection resumes it in about 15 s. 300-86400, only with min_capacity = 0. Null: never pause. An engine version that supports 0 ACUs is needed (16.6, the default, does). The services' connection pools and outbox relays keep connections open, so the database pauses only while no task runs."
  type        = number
  default     = null

  validation {
    condition     = var.seconds_until_auto_pause == null || try(var.seconds_until_auto_pause >= 300 && var.seconds_until_auto_pause <= 86400 && floor(var.seconds_until_auto_pause) == var.seconds_until_auto_pause, false)
    error_message = "seconds_until_auto_pause must be a whole number of seconds from 300 (5 minutes) to 86400 (a day), or null (with min_capacity = 0, see min_capacity)."
  }
}

variable "max_capacity" {
  description = "Serverless v2 maximum capacity in ACUs (0.5 steps); at least min_capacity."
  type        = number
  default     = 4

  validation {
    condition     = var.max_capacity >= 0.5 && var.max_capacity <= 256 && floor(var.max_capacity * 2) == var.max_capacity * 2
    error_message = "max_capacity must be between 0.5 and 256 ACUs, in steps of 0.5."
  }

  validation {
    condition     = var.min_capacity <= var.max_capacity
    error_message = "min_capacity must not exceed max_capacity."
  }
}

variable "instance_count" {
  description = "Cluster instances (db.serverless): the first is the writer, every further one a reader in another AZ to fail over to."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 16."
  }
}

variable "master_username" {
  description = "The master user: used only by the bootstrap/migration job, its password managed by RDS in Secrets Manager."
  type        = string
  default     = "bazaar_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], var.master_username)
    error_message = "master_username must be 1-16 characters of a-z, 0-9 and '_', start with a letter and not be a reserved name."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (turn off only for dev/local)."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Take a final snapshot (\"<name>-db-final\") when the cluster is deleted."
  type        = bool
  default     = true
}

variable "backup_retention_period" {
  description = "Days Aurora keeps automated backups, which is how far back a point-in-time restore reaches (1-35; prod wants 35). When an AWS Backup continuous rule (modules/backup) covers the cluster, AWS Backup manages this retention: set both to the same number of days."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days from 1 to 35."
  }
}

variable "preferred_backup_window" {
  description = "Daily UTC window for automated backups (hh24:mi-hh24:mi); must not overlap the maintenance window."
  type        = string
  default     = "02:00-03:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_backup_window))
    error_message = "preferred_backup_window must look like 02:00-03:00."
  }
}

variable "preferred_maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:04:00-sun:05:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like sun:04:00-sun:05:00."
  }
}

variable "apply_immediately" {
  description = "Apply changes now instead of in the next maintenance window."
  type        = bool
  default     = false
}

variable "log_min_duration_statement_ms" {
  description = "Statements slower than this many milliseconds are logged (-1: none)."
  type        = number
  default     = 1000

  validation {
    condition     = var.log_min_duration_statement_ms >= -1
    error_message = "log_min_duration_statement_ms must be -1 or more."
  }
}

variable "log_retention_days" {
  description = "Days the exported PostgreSQL log group keeps its events."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "performance_insights_retention_period" {
  description = "Days Performance Insights keeps its data: 7 (free) or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period <= 731) || var.performance_insights_retention_period == 731
    error_message = "performance_insights_retention_period must be 7, a multiple of 31 up to 713, or 731."
  }
}

variable "monitoring_interval" {
  description = "Seconds between Enhanced Monitoring samples (0 turns it off and creates no role)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted per-service secret can be restored (0 deletes at once: dev/local only)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "permissions_boundary_arn" {
  description = "The IAM policy the Enhanced Monitoring role carries as its permissions boundary (the environment's workload boundary). Null: none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}
