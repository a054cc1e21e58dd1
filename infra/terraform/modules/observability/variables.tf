variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): the topic is <name>-alarms, the dashboard <name>, every alarm, saved query and the budget start with it."
  type        = string

  validation {
    # The catalog's resource_prefix rule: every name derived from it fits
    # CloudWatch's, SNS's and Budgets' limits.
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "environment" {
  description = "The environment (dev, staging, prod; local on an emulator): the dashboard says it, and the budget counts the costs tagged environment = <this>."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be \"dev\", \"staging\" or \"prod\" (or \"local\" on an emulator)."
  }
}

variable "services" {
  description = "The catalog module's services (module.catalog.services): each service's name and the event types it publishes and consumes. Other attributes of the catalog entry are accepted and ignored."
  type = map(object({
    name      = string
    publishes = list(string)
    consumes  = list(string)
  }))

  validation {
    condition     = length(var.services) > 0 && alltrue([for key, service in var.services : key == service.name])
    error_message = "services must hold at least one service, each keyed by its own name (module.catalog.services)."
  }
}

variable "queues" {
  description = "The catalog module's queues (module.catalog.queues): per consuming service its queue and DLQ names. Other attributes are accepted and ignored."
  type = map(object({
    queue_name = string
    dlq_name   = string
  }))
  default = {}

  validation {
    # Compared as joined strings: an empty set of keys has no element type
    # to compare by.
    condition = join(",", sort(keys(var.queues))) == join(",", sort([
      for key, service in var.services : key if length(service.consumes) > 0
    ]))
    error_message = "queues must have exactly one entry per service that consumes events (module.catalog.queues)."
  }
}

variable "metrics_namespace" {
  description = "The CloudWatch namespace the services' ADOT collectors write their metrics to (the service module's metrics_namespace, \"Bazaar/<name>\")."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#: -]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be a custom CloudWatch namespace (1-255 of letters, digits, . _ / # : - and space; not AWS/...)."
  }
}

variable "cluster_name" {
  description = "The ECS cluster's name (module.cluster.cluster_name): the ClusterName dimension of the AWS/ECS and ECS/ContainerInsights metrics."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.cluster_name))
    error_message = "cluster_name must be an ECS cluster name (1-255 of letters, digits, '-' and '_')."
  }
}

variable "ecs_service_names" {
  description = "Each service's ECS service name (module.service[<svc>].service_name, \"<name>-<svc>\" today), by catalog service name: the ServiceName dimension."
  type        = map(string)

  validation {
    condition     = toset(keys(var.ecs_service_names)) == toset(keys(var.services))
    error_message = "ecs_service_names must have exactly one entry per catalog service."
  }
}

variable "alb_arn_suffix" {
  description = "The load balancer's ARN suffix (module.alb.alb_arn_suffix, app/<name>/<id>): the LoadBalancer dimension."
  type        = string

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must look like app/<load balancer name>/<hex id>."
  }
}

variable "target_group_arn_suffixes" {
  description = "Each service's target group ARN suffix (module.alb.target_group_arn_suffixes, targetgroup/<name>/<id>), by catalog service name: the TargetGroup dimension."
  type        = map(string)

  validation {
    condition     = toset(keys(var.target_group_arn_suffixes)) == toset(keys(var.services))
    error_message = "target_group_arn_suffixes must have exactly one entry per catalog service."
  }

  validation {
    condition     = alltrue([for suffix in values(var.target_group_arn_suffixes) : can(regex("^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$", suffix))])
    error_message = "Every target group ARN suffix must look like targetgroup/<target group name>/<hex id>."
  }
}

variable "db_cluster_identifier" {
  description = "The Aurora cluster's identifier (module.database.cluster_id, \"<name>-db\"): the DBClusterIdentifier dimension."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.db_cluster_identifier))
    error_message = "db_cluster_identifier must be an RDS cluster identifier (1-63 of a-z, 0-9 and '-', starting with a letter)."
  }
}

variable "log_group_names" {
  description = "Each service's CloudWatch log group (module.service[<svc>].log_group_name, \"/ecs/<name>/<svc>\" today), by catalog service name: what the saved Logs Insights queries search."
  type        = map(string)

  validation {
    condition     = toset(keys(var.log_group_names)) == toset(keys(var.services))
    error_message = "log_group_names must have exactly one entry per catalog service."
  }

  validation {
    condition     = alltrue([for group in values(var.log_group_names) : can(regex("^[A-Za-z0-9_/.#-]{1,512}$", group))])
    error_message = "Every log group name must be 1-512 of letters, digits, '_', '-', '/', '.' and '#'."
  }
}

variable "sagas" {
  description = "The sagas whose technical cancellations (outcome step-timeout) are alarmed on and charted: the values of the \"saga\" dimension of bazaar.saga.outcomes."
  type        = list(string)
  default     = ["order"]

  validation {
    condition     = alltrue([for saga in var.sagas : can(regex("^[a-z][a-z0-9-]{0,62}$", saga))]) && length(distinct(var.sagas)) == length(var.sagas)
    error_message = "sagas must be distinct names of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "event_archive_access" {
  description = "Who uses the event archive, by catalog service: \"writer\" or \"reader\" (the platform's event_archive_bucket_access). The writer records bazaar.archive.lag, the age of the oldest event it has still to archive, and is alarmed on; none: no alarm."
  type        = map(string)
  default     = {}

  validation {
    condition     = length([for svc, access in var.event_archive_access : svc if access == "writer" && !contains(keys(var.services), svc)]) == 0
    error_message = "event_archive_access's writer must be one of the services."
  }

  validation {
    condition     = length([for access in values(var.event_archive_access) : access if access == "writer"]) <= 1
    error_message = "event_archive_access may name one writer at most."
  }
}

variable "alarm_subscriptions" {
  description = "Who the alarms topic notifies: protocol email, email-json, https (a paging service's webhook), sms, sqs or lambda (an ARN; its policy must let SNS deliver), and the endpoint. Email subscriptions wait until the address confirms."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    # No plain http: alarm texts name the environment's resources; no
    # application/firehose: they need settings this module does not take.
    condition     = alltrue([for sub in var.alarm_subscriptions : contains(["email", "email-json", "https", "sms", "sqs", "lambda"], sub.protocol)])
    error_message = "Every subscription's protocol must be one of email, email-json, https, sms, sqs, lambda."
  }

  validation {
    condition = alltrue([
      for sub in var.alarm_subscriptions : (
        contains(["email", "email-json"], sub.protocol) ? can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", sub.endpoint)) :
        sub.protocol == "https" ? startswith(sub.endpoint, "https://") :
        sub.protocol == "sms" ? can(regex("^\\+[1-9][0-9]{6,14}$", sub.endpoint)) :
        sub.protocol == "sqs" ? can(regex("^arn:aws[a-z-]*:sqs:", sub.endpoint)) :
        can(regex("^arn:aws[a-z-]*:lambda:", sub.endpoint))
      )
    ])
    error_message = "Every endpoint must fit its protocol: an email address, an https:// URL, an E.164 phone number (+...), or an SQS queue or Lambda function ARN."
  }

  validation {
    condition     = length(distinct([for sub in var.alarm_subscriptions : "${sub.protocol}:${sub.endpoint}"])) == length(var.alarm_subscriptions)
    error_message = "alarm_subscriptions must not list the same protocol and endpoint twice."
  }
}

variable "thresholds" {
  description = "When each alarm fires. Percentages are 0-100; *_minutes are how many consecutive one-minute periods must breach (the saga window is one period of that length). Unset fields keep their defaults."
  type = object({
    # Share of the target group's requests its tasks answered 5xx.
    http_5xx_rate_percent = optional(number, 5)
    http_5xx_minutes      = optional(number, 5)
    # p99 of the time from the ALB sending a request to the task's first byte back.
    latency_p99_seconds = optional(number, 1)
    latency_minutes     = optional(number, 5)
    # Targets failing the ALB's health check (any is too many, for this long).
    unhealthy_hosts_minutes = optional(number, 5)
    # Fewer tasks running than ECS wants, for this long (a new task takes 1-2 minutes).
    tasks_below_desired_minutes = optional(number, 10)
    # Age of the oldest unpublished outbox row (healthy: well under a second).
    outbox_lag_seconds = optional(number, 60)
    outbox_lag_minutes = optional(number, 3)
    # Age of an event when its consumer takes it.
    consumer_lag_seconds = optional(number, 60)
    consumer_lag_minutes = optional(number, 5)
    # Age of a queue's oldest message, over 5 minutes.
    queue_oldest_message_seconds = optional(number, 300)
    # Aurora: cluster CPU, share of the maximum ACUs in use, open connections.
    db_cpu_percent         = optional(number, 80)
    db_cpu_minutes         = optional(number, 10)
    db_acu_percent         = optional(number, 90)
    db_acu_minutes         = optional(number, 15)
    db_connections         = optional(number, 300)
    db_connections_minutes = optional(number, 5)
    # Share of a saga's ends that were step timeouts, over one window.
    saga_step_timeout_percent = optional(number, 5)
    # Age of the oldest stored event not yet in the event archive (healthy: a few seconds).
    archive_lag_seconds = optional(number, 300)
    archive_lag_minutes = optional(number, 5)
    saga_window_minutes = optional(number, 15)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for key, value in var.thresholds : value >= 0])
    error_message = "No threshold may be negative."
  }

  validation {
    condition     = alltrue([for key, value in var.thresholds : value <= 100 if endswith(key, "_percent")])
    error_message = "Percentage thresholds (*_percent) must be at most 100."
  }

  validation {
    # CloudWatch evaluates at most a day of one-minute periods.
    condition     = alltrue([for key, value in var.thresholds : value >= 1 && value <= 1440 && floor(value) == value if endswith(key, "_minutes")])
    error_message = "Every *_minutes threshold must be a whole number of minutes from 1 to 1440."
  }
}

variable "enable_saved_queries" {
  description = "Save the Logs Insights queries. False only on an emulator: moto does not implement PutQueryDefinition (500) and the provider retries forever."
  type        = bool
  default     = true
}

variable "monthly_budget_usd" {
  description = "The environment's monthly cost budget in USD (costs tagged environment = <environment>). Null: no budget."
  type        = number
  default     = null

  validation {
    condition     = var.monthly_budget_usd == null || try(var.monthly_budget_usd > 0, false)
    error_message = "monthly_budget_usd must be a positive amount, or null for no budget."
  }
}

variable "budget_alert_thresholds" {
  description = "When the budget notifies the topic: actual spend above actual_percent of the budget, and spend forecast for the month above forecasted_percent."
  type = object({
    actual_percent     = optional(number, 80)
    forecasted_percent = optional(number, 100)
  })
  default  = {}
  nullable = false

  validation {
    # Budgets accepts percentages above 100 (e.g. 120: notify when 20% over).
    condition     = var.budget_alert_thresholds.actual_percent > 0 && var.budget_alert_thresholds.actual_percent <= 1000 && var.budget_alert_thresholds.forecasted_percent > 0 && var.budget_alert_thresholds.forecasted_percent <= 1000
    error_message = "Budget alert thresholds must be percentages above 0 and at most 1000."
  }
}

variable "tags" {
  description = "Tags for every resource that takes them (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
