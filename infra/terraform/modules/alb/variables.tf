variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"); every resource name starts with it."
  type        = string

  validation {
    # The ALB name allows 32 characters; "-alb" follows the prefix.
    condition     = can(regex("^[a-z][a-z0-9-]{1,26}[a-z0-9]$", var.name))
    error_message = "name must be 3-28 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "The VPC the load balancer, its security group and the target groups belong to."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 CIDR: the only destination the load balancer may send to (the tasks)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be an IPv4 CIDR such as 10.20.0.0/16."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets, in at least two availability zones, the internet-facing load balancer is placed in."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for id in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "public_subnet_ids must hold at least two subnet IDs (an ALB spans two or more AZs)."
  }
}

variable "ingress_cidrs" {
  description = "IPv4 CIDRs allowed to reach the listeners on 443 and 80."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.ingress_cidrs) > 0 && alltrue([for cidr in var.ingress_cidrs : can(cidrhost(cidr, 0))])
    error_message = "ingress_cidrs must be a non-empty list of IPv4 CIDRs."
  }
}

variable "certificate_arn" {
  description = "The ACM certificate the HTTPS listener serves."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer (turn off only for dev/local)."
  type        = bool
  default     = true
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle before the load balancer closes it."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000 && floor(var.idle_timeout) == var.idle_timeout
    error_message = "idle_timeout must be a whole number of seconds between 1 and 4000."
  }
}

variable "access_logs_expiration_days" {
  description = "Days after which access log objects (and noncurrent versions) are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.access_logs_expiration_days >= 1 && floor(var.access_logs_expiration_days) == var.access_logs_expiration_days
    error_message = "access_logs_expiration_days must be a whole number of days, at least 1."
  }
}

variable "access_logs_force_destroy" {
  description = "Let `terraform destroy` delete the access log bucket with its logs in it (dev/local only)."
  type        = bool
  default     = false
}

variable "services" {
  description = "The catalog's services (modules/catalog output `services`): one target group and one HTTPS listener rule each."
  type = map(object({
    port          = number
    path_patterns = list(string)
    priority      = number
    health_path   = string
  }))

  validation {
    condition     = alltrue([for svc in values(var.services) : svc.port >= 1 && svc.port <= 65535])
    error_message = "Every service port must be between 1 and 65535."
  }

  validation {
    # A listener rule takes at most five condition values.
    condition     = alltrue([for svc in values(var.services) : length(svc.path_patterns) >= 1 && length(svc.path_patterns) <= 5])
    error_message = "Every service needs 1-5 path_patterns."
  }

  validation {
    condition     = alltrue([for svc in values(var.services) : svc.priority >= 1 && svc.priority <= 50000])
    error_message = "Every service priority must be between 1 and 50000."
  }

  validation {
    condition     = length(distinct([for svc in values(var.services) : svc.priority])) == length(var.services)
    error_message = "Two services have the same priority; listener rule priorities must be unique."
  }

  validation {
    condition     = alltrue([for svc in values(var.services) : startswith(svc.health_path, "/")])
    error_message = "Every service health_path must start with '/'."
  }

  validation {
    # Target group names are "<name>-<service>" and the name allows 32 characters.
    condition     = alltrue([for key in keys(var.services) : can(regex("^[a-z][a-z0-9-]{0,30}$", key))])
    error_message = "Service names must be lower-case letters, digits and '-'."
  }
}

variable "health_check_interval_seconds" {
  description = "Seconds between target health checks."
  type        = number
  default     = 15

  validation {
    condition     = var.health_check_interval_seconds >= 5 && var.health_check_interval_seconds <= 300
    error_message = "health_check_interval_seconds must be between 5 and 300."
  }
}

variable "health_check_timeout_seconds" {
  description = "Seconds a health check may take; must be shorter than the interval."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout_seconds >= 2 && var.health_check_timeout_seconds <= 120 && var.health_check_timeout_seconds < var.health_check_interval_seconds
    error_message = "health_check_timeout_seconds must be between 2 and 120 and below health_check_interval_seconds."
  }
}

variable "healthy_threshold" {
  description = "Consecutive passing health checks before a target receives traffic."
  type        = number
  default     = 2

  validation {
    condition     = var.healthy_threshold >= 2 && var.healthy_threshold <= 10
    error_message = "healthy_threshold must be between 2 and 10."
  }
}

variable "unhealthy_threshold" {
  description = "Consecutive failing health checks before a target is taken out."
  type        = number
  default     = 3

  validation {
    condition     = var.unhealthy_threshold >= 2 && var.unhealthy_threshold <= 10
    error_message = "unhealthy_threshold must be between 2 and 10."
  }
}

variable "task_stop_timeout_seconds" {
  description = "The ECS tasks' stopTimeout: how long a task has between SIGTERM and SIGKILL."
  type        = number
  default     = 30

  validation {
    condition     = var.task_stop_timeout_seconds >= 2 && var.task_stop_timeout_seconds <= 120
    error_message = "task_stop_timeout_seconds must be between 2 and 120 (the Fargate maximum)."
  }
}

variable "deregistration_delay" {
  description = "Seconds the load balancer lets in-flight requests drain from a deregistered target; below task_stop_timeout_seconds so draining ends before the task is killed."
  type        = number
  default     = 20

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay < var.task_stop_timeout_seconds
    error_message = "deregistration_delay must be at least 0 and below task_stop_timeout_seconds, or tasks are killed with requests still draining."
  }
}

variable "enable_waf" {
  description = "Put a WAFv2 web ACL (rate limit, AWS common and known-bad-inputs rule sets, logging) in front of the load balancer."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests one IP may send in any window of rate_limit.json's window_seconds (5 minutes) before the WAF answers it 429. null: rate_limit.json's requests_per_ip, the number the local gateway uses too."
  type        = number
  default     = null

  validation {
    condition     = var.waf_rate_limit == null ? true : var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 10 and 2,000,000,000."
  }
}

variable "waf_rate_limit_exempt_cidrs" {
  description = "IPv4 CIDRs the per-IP rate limit does not count, e.g. a load generator's fixed egress address (\"203.0.113.7/32\"). Every other rule still applies to them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.waf_rate_limit_exempt_cidrs : can(cidrnetmask(cidr))])
    error_message = "waf_rate_limit_exempt_cidrs must be IPv4 CIDRs, e.g. 203.0.113.7/32."
  }
}

variable "waf_common_rule_set_count_only" {
  description = "Rules of AWSManagedRulesCommonRuleSet that only count instead of block (e.g. \"SizeRestrictions_BODY\", which blocks bodies over 8 KB)."
  type        = list(string)
  default     = []
}

variable "waf_log_retention_days" {
  description = "Days the WAF log group keeps its events."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.waf_log_retention_days)
    error_message = "waf_log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}
