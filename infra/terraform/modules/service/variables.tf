locals {
  # Patterns shared by several validations.
  secret_arn_pattern = "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+(:[^:]*:[^:]*:[^:]*)?$"
  kms_arn_pattern    = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$"
  sqs_arn_pattern    = "^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$"

  # Variables this module sets itself; the caller may not set them again.
  module_environment_keys = ["PORT", "AWS_REGION", "RESOURCE_PREFIX", "POINT_TO_POINT_RECEIVERS", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "DATABASE_URL"]
  # ServiceSettings has no default for these: a task without them exits 2
  # (ENVIRONMENT on purpose: a task nobody told must not skip the production checks).
  required_setting_keys = ["ENVIRONMENT", "AUTH_ISSUER", "AUTH_CLIENT_IDS"]
}

variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): every resource name starts with it, and the task gets it as RESOURCE_PREFIX, from which the service derives its bus and queue names."
  type        = string

  validation {
    # RESOURCE_PREFIX's own pattern in bazaar_common.settings.
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must match ^[a-z][a-z0-9-]{1,20}$ (it becomes RESOURCE_PREFIX)."
  }
}

variable "tags" {
  description = "Tags for every resource (on top of the provider's default_tags); the ECS service propagates its tags to its tasks."
  type        = map(string)
  default     = {}
}

variable "service" {
  description = "One entry of modules/catalog's `services` output. Only these attributes are used; the rest are dropped by the type conversion."
  type = object({
    name      = string
    package   = string
    port      = number
    cpu       = number
    memory    = number
    min_tasks = number
    max_tasks = number
    publishes = optional(list(string), [])
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.service.name))
    error_message = "service.name must be 2-31 characters of a-z, 0-9 and '-', starting with a letter."
  }

  validation {
    # The migrations container runs <package>:migrations.
    condition     = can(regex("^bazaar_[a-z0-9_]+$", var.service.package))
    error_message = "service.package must be the service's Python package (bazaar_<name>)."
  }

  validation {
    condition     = var.service.port >= 1024 && var.service.port <= 65535 && floor(var.service.port) == var.service.port
    error_message = "service.port must be an unprivileged port (1024-65535): the app runs as uid 10001."
  }

  validation {
    # The Fargate task sizes (cpu units => allowed memory MiB).
    condition = contains(
      lookup({
        "256"  = [512, 1024, 2048]
        "512"  = [for gb in range(1, 5) : gb * 1024]
        "1024" = [for gb in range(2, 9) : gb * 1024]
        "2048" = [for gb in range(4, 17) : gb * 1024]
        "4096" = [for gb in range(8, 31) : gb * 1024]
        "8192" = [for gb in range(16, 61, 4) : gb * 1024]
      }, tostring(var.service.cpu), []),
      var.service.memory,
    )
    error_message = "service.cpu/service.memory must be a Fargate task size (e.g. 256/512, 512/1024, 1024/2048)."
  }

  validation {
    condition     = var.service.min_tasks >= 1 && var.service.max_tasks >= var.service.min_tasks
    error_message = "service.min_tasks must be at least 1 and service.max_tasks at least min_tasks."
  }
}

variable "image" {
  description = "The app's full image URI, pinned: `<registry>/<repository>:<tag>` or `...@sha256:<digest>`. An ECR image in this account gets pull rights on its repository only."
  type        = string

  validation {
    condition     = !endswith(var.image, ":latest") && (can(regex("@sha256:[0-9a-f]{64}$", var.image)) || can(regex(":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", element(split("/", var.image), length(split("/", var.image)) - 1))))
    error_message = "image must carry a tag other than \"latest\" or an @sha256: digest."
  }
}

variable "environment" {
  description = "Plain environment variables of the app (ENVIRONMENT, AUTH_ISSUER, AUTH_CLIENT_IDS, DB_POOL_SIZE, LOG_LEVEL, ...). The module itself sets PORT, AWS_REGION, RESOURCE_PREFIX, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.environment), local.module_environment_keys)) == 0
    error_message = "environment may not set PORT, AWS_REGION, RESOURCE_PREFIX, POINT_TO_POINT_RECEIVERS, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME or DATABASE_URL: the module sets them (DATABASE_URL comes from database_url_secret_arn)."
  }

  validation {
    condition     = length(setsubtract(local.required_setting_keys, concat(keys(var.environment), keys(var.secrets)))) == 0
    error_message = "ENVIRONMENT, AUTH_ISSUER and AUTH_CLIENT_IDS are required by ServiceSettings: set them in environment (or secrets)."
  }

  validation {
    # ServiceSettings' own values: any other stops the task at start (exit 2),
    # which a plan can tell before a deployment fails on it.
    condition     = !contains(keys(var.environment), "ENVIRONMENT") || contains(["local", "test", "dev", "staging", "prod"], lookup(var.environment, "ENVIRONMENT", ""))
    error_message = "environment.ENVIRONMENT must be one of local, test, dev, staging, prod."
  }

  validation {
    # local and test skip the production checks and, without an emulator to
    # call, run no relay and no consumer: only on an emulator (envs/moto).
    condition     = !contains(["local", "test"], lookup(var.environment, "ENVIRONMENT", "")) || contains(keys(var.environment), "AWS_ENDPOINT_URL")
    error_message = "environment.ENVIRONMENT local and test are for an emulator (with AWS_ENDPOINT_URL); on AWS use dev, staging or prod."
  }
}

variable "task_role_policies" {
  description = "Further inline policies of the task role, name => IAM policy JSON, for what the app needs beyond its queue, bus and telemetry (e.g. { event-archive = <modules/event-archive writer_policy_json> }). Each becomes the policy <name>-<service>-<key>. Give each service only its own: the module cannot tell a broad document from a narrow one. The permissions boundary, if any, must allow the same actions."
  type        = map(string)
  default     = {}

  validation {
    # The key is part of the policy name (128 characters at most with the prefix).
    condition     = alltrue([for key in keys(var.task_role_policies) : can(regex("^[a-z][a-z0-9-]{0,39}$", key))])
    error_message = "task_role_policies' keys must be 1-40 characters of a-z, 0-9 and '-', starting with a letter."
  }

  validation {
    condition     = alltrue([for document in values(var.task_role_policies) : can(jsondecode(document).Statement)])
    error_message = "task_role_policies' values must be IAM policy documents (JSON with a Statement)."
  }
}

variable "secrets" {
  description = "Secret environment variables: name => Secrets Manager secret ARN, or `<secret ARN>:<json key>::` for one key of a JSON secret. The execution role may read exactly these secrets (and database_url_secret_arn)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex(local.secret_arn_pattern, arn))])
    error_message = "Every secrets value must be a full Secrets Manager secret ARN (with its random suffix), optionally followed by :<json key>:<version stage>:<version id>."
  }

  validation {
    condition     = length(setintersection(keys(var.secrets), local.module_environment_keys)) == 0
    error_message = "secrets may not set a variable the module sets (DATABASE_URL comes from database_url_secret_arn)."
  }
}

variable "database_url_secret_arn" {
  description = "Secrets Manager secret (or `<ARN>:<json key>::`) holding the whole DATABASE_URL, `postgresql+asyncpg://user:password@host:port/database`: ServiceSettings reads only that one variable, so there is no parts-and-IAM-auth alternative."
  type        = string

  validation {
    condition     = can(regex(local.secret_arn_pattern, var.database_url_secret_arn))
    error_message = "database_url_secret_arn must be a full Secrets Manager secret ARN, optionally with :<json key>:: appended."
  }
}

variable "migrations_database_url_secret_arn" {
  description = "Secrets Manager secret holding the DATABASE_URL of the schema's owner role: only the migrations container, which runs before the app in every task, gets it. The app's own database_url_secret_arn names a role that may read and write rows but not change the schema."
  type        = string

  validation {
    condition     = can(regex(local.secret_arn_pattern, var.migrations_database_url_secret_arn))
    error_message = "migrations_database_url_secret_arn must be a full Secrets Manager secret ARN."
  }
}

variable "database" {
  description = "Where the one-off database bootstrap task (python -m bazaar_common.db.bootstrap) makes the service's database: the writer endpoint and port, the database name, the master user's secret (RDS-managed, JSON username/password; only that task may read it) and whether TLS is required. The task writes database_url_secret_arn and migrations_database_url_secret_arn."
  type = object({
    host              = string
    port              = number
    name              = string
    master_secret_arn = string
    require_tls       = optional(bool, true)
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,50}$", var.database.name))
    error_message = "database.name must be a PostgreSQL identifier of at most 51 characters (its roles are <name>_owner and <name>_app)."
  }

  validation {
    condition     = can(regex(local.secret_arn_pattern, var.database.master_secret_arn))
    error_message = "database.master_secret_arn must be a full Secrets Manager secret ARN."
  }
}

variable "permissions_boundary_arn" {
  description = "The IAM policy every role this module makes carries as its permissions boundary (the environment's workload boundary). Null: none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer managed KMS keys that encrypt the secrets: the execution role may decrypt with them through Secrets Manager only. Empty when the secrets use aws/secretsmanager."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.secrets_kms_key_arns : can(regex(local.kms_arn_pattern, arn))])
    error_message = "secrets_kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "kms_key_arns" {
  description = "KMS keys the task (its app) may use: the keys of its SSE-KMS queue and DLQ and of the bus. Decrypt to receive, GenerateDataKey to send and publish."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex(local.kms_arn_pattern, arn))])
    error_message = "kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "cluster_arn" {
  description = "The environment's ECS cluster (Container Insights on: the queue backlog policy reads its RunningTaskCount)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]+$", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN."
  }
}

variable "vpc_id" {
  description = "The VPC of the service's security group."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets the tasks run in (one per availability zone); tasks never get a public IP."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) > 0 && alltrue([for id in var.private_subnet_ids : startswith(id, "subnet-")])
    error_message = "private_subnet_ids must be one or more subnet ids (subnet-...)."
  }
}

variable "alb_security_group_id" {
  description = "The load balancer's security group: the only source allowed to the task port (besides extra_ingress_security_group_ids)."
  type        = string

  validation {
    condition     = startswith(var.alb_security_group_id, "sg-")
    error_message = "alb_security_group_id must be a security group id (sg-...)."
  }
}

variable "extra_ingress_security_group_ids" {
  description = "Further security groups allowed to the task port, e.g. a bastion's. For a sibling service of the same for_each (orders -> inventory) add the rule in the environment instead: the module cannot reference its own instances."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.extra_ingress_security_group_ids : startswith(id, "sg-")])
    error_message = "extra_ingress_security_group_ids must be security group ids (sg-...)."
  }
}

variable "database_security_group_id" {
  description = "The database's security group: the only destination of the task's database_port egress."
  type        = string

  validation {
    condition     = startswith(var.database_security_group_id, "sg-")
    error_message = "database_security_group_id must be a security group id (sg-...)."
  }
}

variable "database_port" {
  description = "The port in DATABASE_URL (egress to the database security group)."
  type        = number
  default     = 5432

  validation {
    condition     = var.database_port >= 1 && var.database_port <= 65535
    error_message = "database_port must be 1-65535."
  }
}

variable "egress_https_cidr_blocks" {
  description = "Where the task may open HTTPS (AWS APIs, ECR, the JWKS URL). 0.0.0.0/0 behind a NAT gateway; narrow it when VPC endpoints and a private IdP make that possible."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.egress_https_cidr_blocks) > 0 && alltrue([for cidr in var.egress_https_cidr_blocks : can(cidrhost(cidr, 0))])
    error_message = "egress_https_cidr_blocks must be one or more IPv4 CIDR blocks."
  }
}

variable "target_group_arn" {
  description = "The ALB target group (target_type \"ip\") of this service's listener rule."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/", var.target_group_arn))
    error_message = "target_group_arn must be an ELBv2 target group ARN."
  }
}

variable "service_discovery_arn" {
  description = "The Cloud Map service (A records) tasks register in, e.g. inventory.<namespace> for orders' INVENTORY_URL. Null: no registration."
  type        = string
  default     = null

  validation {
    condition     = var.service_discovery_arn == null || can(regex("^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:[0-9]{12}:service/srv-", var.service_discovery_arn))
    error_message = "service_discovery_arn must be a Cloud Map service ARN (arn:aws:servicediscovery:...:service/srv-...)."
  }
}

variable "queue_arn" {
  description = "The service's SQS queue, <name>-<service> (the name the service looks up from RESOURCE_PREFIX). Null for a service that consumes nothing."
  type        = string
  default     = null

  validation {
    condition     = var.queue_arn == null || (can(regex(local.sqs_arn_pattern, var.queue_arn)) && try(element(split(":", var.queue_arn), 5), "") == "${var.name}-${var.service.name}")
    error_message = "queue_arn must be the ARN of the queue named <name>-<service.name>: the service finds its queue by that name."
  }
}

variable "dlq_arn" {
  description = "The service's dead-letter queue, <name>-<service>-dlq. Set exactly when queue_arn is."
  type        = string
  default     = null

  validation {
    condition     = (var.dlq_arn == null) == (var.queue_arn == null)
    error_message = "dlq_arn must be set exactly when queue_arn is."
  }

  validation {
    condition     = var.dlq_arn == null || (can(regex(local.sqs_arn_pattern, var.dlq_arn)) && try(element(split(":", var.dlq_arn), 5), "") == "${var.name}-${var.service.name}-dlq")
    error_message = "dlq_arn must be the ARN of the queue named <name>-<service.name>-dlq: the service finds its DLQ by that name."
  }
}

variable "allow_dlq_redrive" {
  description = "Let the task role run `python -m bazaar_common.messaging.dlq list|inspect|redrive` (e.g. through ECS Exec): receive, release and delete on the DLQ, send on the queue. Off: the task may only read the DLQ's depth."
  type        = bool
  default     = true
}

variable "point_to_point_receivers" {
  description = "modules/catalog's sends_point_to_point for this service: each type it publishes that goes point to point -> the service receiving it. The task gets it as POINT_TO_POINT_RECEIVERS and its role may sqs:SendMessage to those services' queues (<name>-<receiver>) and no other."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setsubtract(keys(var.point_to_point_receivers), var.service.publishes)) == 0
    error_message = "point_to_point_receivers may only route types in service.publishes: a relay sends only what its service publishes."
  }

  validation {
    condition     = alltrue([for receiver in values(var.point_to_point_receivers) : can(regex("^[a-z][a-z0-9-]{1,30}$", receiver))])
    error_message = "point_to_point_receivers' values must be catalog service names."
  }
}

variable "bus_arn" {
  description = "The environment's EventBridge bus, named <name>. PutEvents on it is granted only when service.publishes is not empty."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/", var.bus_arn)) && try(element(split("/", var.bus_arn), 1), "") == var.name
    error_message = "bus_arn must be the ARN of the event bus named <name>: the service publishes to the bus named after RESOURCE_PREFIX."
  }
}

variable "log_retention_days" {
  description = "Retention of the task's log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ... 365, ... 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key of the log group (its key policy must allow logs.<region>.amazonaws.com). Null: CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex(local.kms_arn_pattern, var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN."
  }
}

variable "stop_timeout_seconds" {
  description = "Seconds between SIGTERM and SIGKILL of the app container. Must exceed SHUTDOWN_GRACE_SECONDS (default 10) + STOP_TIMEOUT_SECONDS (default 15), the app's own shutdown budget. Fargate allows at most 120."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout_seconds >= 2 && var.stop_timeout_seconds <= 120 && floor(var.stop_timeout_seconds) == var.stop_timeout_seconds
    error_message = "stop_timeout_seconds must be a whole number from 2 to 120 (the Fargate maximum)."
  }

  validation {
    condition     = var.stop_timeout_seconds > try(tonumber(lookup(var.environment, "SHUTDOWN_GRACE_SECONDS", "10")), 10) + try(tonumber(lookup(var.environment, "STOP_TIMEOUT_SECONDS", "15")), 15)
    error_message = "stop_timeout_seconds must exceed SHUTDOWN_GRACE_SECONDS + STOP_TIMEOUT_SECONDS (defaults 10 + 15), or ECS kills the app mid-shutdown."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the ECS service ignores failing ALB health checks of a new task: it runs its migrations (RUN_MIGRATIONS) before /readyz answers."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 3600
    error_message = "health_check_grace_period_seconds must be 0-3600."
  }
}

variable "desired_count" {
  description = "Tasks to run. Null: service.min_tasks. With autoscaling, only the initial count (later changes are ignored)."
  type        = number
  default     = null

  validation {
    condition     = var.desired_count == null || try(var.desired_count >= 0, false)
    error_message = "desired_count must be 0 or more."
  }
}

variable "enable_autoscaling" {
  description = "Create the Application Auto Scaling target (service.min_tasks..max_tasks) and its policies. envs/local turns it off: moto has no aws_appautoscaling_target."
  type        = bool
  default     = true
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation of the service's tasks (target tracking)."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be 10-90."
  }
}

variable "queue_backlog_per_task" {
  description = "Target visible messages per running task (queue ApproximateNumberOfMessagesVisible / RunningTaskCount). Used only when queue_arn is set."
  type        = number
  default     = 100

  validation {
    condition     = var.queue_backlog_per_task > 0
    error_message = "queue_backlog_per_task must be greater than 0."
  }
}

variable "adot_image" {
  description = "The AWS Distro for OpenTelemetry collector sidecar image, pinned."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"

  validation {
    condition     = !endswith(var.adot_image, ":latest") && (can(regex("@sha256:[0-9a-f]{64}$", var.adot_image)) || can(regex(":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", element(split("/", var.adot_image), length(split("/", var.adot_image)) - 1))))
    error_message = "adot_image must carry a tag other than \"latest\" or an @sha256: digest."
  }
}

variable "adot_cpu" {
  description = "CPU units reserved for the collector sidecar (out of service.cpu)."
  type        = number
  default     = 64

  validation {
    condition     = var.adot_cpu >= 0
    error_message = "adot_cpu must be 0 or more."
  }
}

variable "adot_memory" {
  description = "Hard memory limit (MiB) of the collector sidecar, so it can never starve the app; the rest of service.memory is the app's."
  type        = number
  default     = 128

  validation {
    condition     = var.adot_memory >= 64
    error_message = "adot_memory must be at least 64 MiB."
  }
}

variable "enable_execute_command" {
  description = "Allow ECS Exec into the tasks (adds the ssmmessages permissions to the task role). Off in prod unless an incident needs it."
  type        = bool
  default     = false
}

variable "exec_log_group_arn" {
  description = "The cluster's ECS Exec session log group (modules/cluster exec_log_group_arn). With enable_execute_command, the task's SSM agent writes the session transcript there, as the task role."
  type        = string
  default     = null

  validation {
    condition     = var.exec_log_group_arn == null || can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*]+$", var.exec_log_group_arn))
    error_message = "exec_log_group_arn must be a CloudWatch Logs log group ARN (without :*)."
  }
}

variable "exec_kms_key_arn" {
  description = "The cluster's ECS Exec KMS key (modules/cluster exec_kms_key_arn): the task role decrypts the session data channel with it."
  type        = string
  default     = null

  validation {
    condition     = var.exec_kms_key_arn == null || can(regex(local.kms_arn_pattern, var.exec_kms_key_arn))
    error_message = "exec_kms_key_arn must be a KMS key ARN."
  }
}

variable "platform_version" {
  description = "Fargate platform version."
  type        = string
  default     = "LATEST"

  validation {
    condition     = can(regex("^(LATEST|1\\.4\\.0)$", var.platform_version))
    error_message = "platform_version must be LATEST or 1.4.0 (ephemeral bind mounts need 1.4.0 or later)."
  }
}

variable "capacity_provider_strategy" {
  description = "How tasks are spread over FARGATE and FARGATE_SPOT (both must be the cluster's capacity providers). `base` tasks go to a provider first, the rest by weight."
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = optional(number, 0)
  }))
  default = [{ capacity_provider = "FARGATE", weight = 1, base = 0 }]

  validation {
    condition     = length(var.capacity_provider_strategy) > 0 && alltrue([for s in var.capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)])
    error_message = "capacity_provider_strategy must name FARGATE and/or FARGATE_SPOT."
  }

  validation {
    condition     = sum([for s in var.capacity_provider_strategy : s.weight]) > 0 && length(distinct([for s in var.capacity_provider_strategy : s.capacity_provider])) == length(var.capacity_provider_strategy)
    error_message = "capacity_provider_strategy needs a weight above 0 and each provider at most once."
  }

  validation {
    condition     = length([for s in var.capacity_provider_strategy : s if s.base > 0]) <= 1
    error_message = "Only one capacity provider may have a base."
  }
}

variable "metrics_namespace" {
  description = "The CloudWatch namespace the collector exports the service's own metrics to (the environment's alarms and dashboard read it). Null: \"Bazaar/<name>\"."
  type        = string
  default     = null

  validation {
    condition     = var.metrics_namespace == null || can(regex("^[A-Za-z0-9._/#:-]{1,255}$", coalesce(var.metrics_namespace, "x"))) && !startswith(coalesce(var.metrics_namespace, "x"), "AWS/")
    error_message = "metrics_namespace must be 1-255 of A-Z, a-z, 0-9, . _ / # : - and must not start with \"AWS/\"."
  }
}

variable "cpu_architecture" {
  description = "The tasks' CPU architecture: X86_64, or ARM64 (Graviton, about 20% cheaper per vCPU and GB; the image must be built for linux/arm64, as the deploy workflow builds both)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be \"X86_64\" or \"ARM64\"."
  }
}
