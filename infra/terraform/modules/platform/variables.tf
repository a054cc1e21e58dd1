locals {
  # The retentions every module's log groups accept (0, "forever", is not
  # accepted by all of them).
  log_retentions = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
}

variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): every resource name starts with it."
  type        = string

  validation {
    # 28: the ALB's "<name>-alb" must fit its 32 characters.
    condition     = length(var.name) >= 3 && length(var.name) <= 28 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name))
    error_message = "name must be 3-28 characters of a-z, 0-9 and single '-' between them, starting with a letter."
  }
}

variable "environment" {
  description = "The environment: the services' ENVIRONMENT (bazaar_common.settings.Environment) and the discovery namespace \"<environment>.bazaar.internal\". \"local\" only on an emulator (emulator_endpoint_url), as envs/moto applies it."
  type        = string

  validation {
    # test is the other value settings accept; it never runs a platform.
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be \"dev\", \"staging\" or \"prod\" (or \"local\" on an emulator)."
  }
}

variable "emulator_endpoint_url" {
  description = "An AWS emulator (a moto server) the services call instead of AWS, as the tasks reach it (e.g. http://moto:5000): their AWS_ENDPOINT_URL, and the JWKS URL of its Cognito. Only with environment \"local\" (envs/moto); null everywhere else."
  type        = string
  default     = null

  validation {
    condition     = var.emulator_endpoint_url == null || can(regex("^http://[a-z0-9.-]+(:[0-9]+)?$", coalesce(var.emulator_endpoint_url, "x")))
    error_message = "emulator_endpoint_url must be http://<host>[:<port>] with no path."
  }

  validation {
    condition     = (var.environment == "local") == (var.emulator_endpoint_url != null)
    error_message = "environment \"local\" is for an emulator (emulator_endpoint_url set); dev, staging and prod talk to AWS (emulator_endpoint_url null)."
  }
}

variable "region" {
  description = "The AWS region the provider is configured for (checked against it, so the environment's region is stated once and visibly)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "resource_prefix" {
  description = "The services' RESOURCE_PREFIX: the bus is named after it, queues are <prefix>-<service>. Null: name."
  type        = string
  default     = null

  validation {
    # RESOURCE_PREFIX's own pattern in bazaar_common.settings.
    condition     = var.resource_prefix == null || can(regex("^[a-z][a-z0-9-]{1,20}$", coalesce(var.resource_prefix, "x")))
    error_message = "resource_prefix must match ^[a-z][a-z0-9-]{1,20}$ (bazaar_common.settings' RESOURCE_PREFIX)."
  }
}

variable "image_tags" {
  description = "The image tag (e.g. the git sha CI built) of every catalog service, by service name: the task image is \"<ECR repository URL>:<tag>\"."
  type        = map(string)

  validation {
    condition     = length(setsubtract(keys(module.catalog.services), keys(var.image_tags))) == 0
    error_message = "image_tags must hold a tag for every catalog service: ${join(", ", sort(keys(module.catalog.services)))}."
  }

  validation {
    condition     = length(setsubtract(keys(var.image_tags), keys(module.catalog.services))) == 0
    error_message = "image_tags names a service the catalog does not have (a typo?); the catalog's services are: ${join(", ", sort(keys(module.catalog.services)))}."
  }

  validation {
    # The repositories are IMMUTABLE: a moving tag like "latest" cannot be pushed twice anyway.
    condition     = alltrue([for tag in values(var.image_tags) : can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", tag)) && tag != "latest"])
    error_message = "Every image tag must be a Docker tag (1-128 of A-Z, a-z, 0-9, '_', '.', '-') other than \"latest\"."
  }
}

variable "certificate_arn" {
  description = "The ACM certificate (in region) the ALB's HTTPS listener serves."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "api_domain_name" {
  description = "The API's host name (the certificate's), e.g. api.dev.example.com: its alias record to the ALB is kept in route53_zone_id. Null: no record (point the name at the alb_dns_name output yourself)."
  type        = string
  default     = null

  validation {
    condition     = var.api_domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.api_domain_name, "x")))
    error_message = "api_domain_name must be a lower-case DNS name such as api.dev.example.com."
  }
}

variable "route53_zone_id" {
  description = "The Route 53 hosted zone that holds api_domain_name. Set exactly when api_domain_name is."
  type        = string
  default     = null

  validation {
    condition     = (var.route53_zone_id == null) == (var.api_domain_name == null)
    error_message = "route53_zone_id and api_domain_name are set together, or neither."
  }

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", coalesce(var.route53_zone_id, "x")))
    error_message = "route53_zone_id must be a hosted zone id (Z...)."
  }
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 CIDR (/16 to /24)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones the VPC (and so the ALB, tasks and database) spans: 2 or 3."
  type        = number
  default     = 3

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway shared by every AZ (cheap; an outage of its AZ cuts the others' egress) instead of one per AZ."
  type        = bool
  default     = false
}

variable "db_min_capacity" {
  description = "Aurora Serverless v2 minimum ACUs (0.5 steps); 0 lets an idle cluster pause (with db_seconds_until_auto_pause)."
  type        = number
  default     = 0.5
}

variable "db_seconds_until_auto_pause" {
  description = "Idle seconds before Aurora pauses at 0 ACUs (db_min_capacity = 0; the first connection after waits ~15 s for it to resume). Null: never pauses."
  type        = number
  default     = null
}

variable "db_backup_retention_days" {
  description = "Days of Aurora's automated backups: how far back a point-in-time restore reaches (docs/disaster-recovery.md). With aws_backup.continuous, AWS Backup manages this same retention."
  type        = number
  default     = 7
}

variable "db_max_capacity" {
  description = "Aurora Serverless v2 maximum ACUs (0.5 steps, at least db_min_capacity)."
  type        = number
  default     = 4
}

variable "db_instance_count" {
  description = "Aurora instances: one writer, the rest readers to fail over to."
  type        = number
  default     = 1

  validation {
    condition     = var.db_instance_count >= 1 && var.db_instance_count <= 16 && floor(var.db_instance_count) == var.db_instance_count
    error_message = "db_instance_count must be a whole number from 1 to 16."
  }
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB, database and user pool. false (dev only) also lets a destroy remove ECR images, ALB logs, Cloud Map services and secrets at once."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Take a final database snapshot when the cluster is deleted."
  type        = bool
  default     = true
}

variable "enable_waf" {
  description = "Put the WAFv2 web ACL (rate limit, AWS managed rule sets, logging) in front of the ALB."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests one IP may send per 5 minutes before the WAF answers it 429. null: the alb module's rate_limit.json (the local gateway's number too)."
  type        = number
  default     = null
}

variable "waf_rate_limit_exempt_cidrs" {
  description = "IPv4 CIDRs the WAF's per-IP rate limit does not count (a load generator's fixed egress address)."
  type        = list(string)
  default     = []
}

variable "waf_common_rule_set_count_only" {
  description = "Rules of AWSManagedRulesCommonRuleSet that only count (e.g. \"SizeRestrictions_BODY\", which blocks bodies over 8 KB)."
  type        = list(string)
  default     = []
}

variable "min_tasks_per_service" {
  description = "The fewest tasks any service runs (the catalog's min_tasks when higher): 2 or more spreads every service over two availability zones, so a zone's outage or a task's replacement leaves it serving. prod must have at least 2."
  type        = number
  default     = 2

  validation {
    condition     = var.min_tasks_per_service >= 1 && var.min_tasks_per_service <= 100 && floor(var.min_tasks_per_service) == var.min_tasks_per_service
    error_message = "min_tasks_per_service must be a whole number from 1 to 100."
  }

  validation {
    condition     = var.environment != "prod" || var.min_tasks_per_service >= 2
    error_message = "prod runs at least 2 tasks per service (min_tasks_per_service >= 2): one task is one availability zone."
  }
}

variable "alb_idle_timeout_seconds" {
  description = "Seconds the ALB keeps an idle connection; the services keep theirs 15 s longer (KEEP_ALIVE_SECONDS), so the ALB is always the side that closes one."
  type        = number
  default     = 60

  validation {
    condition     = var.alb_idle_timeout_seconds >= 1 && var.alb_idle_timeout_seconds <= 3600
    error_message = "alb_idle_timeout_seconds must be 1-3600."
  }
}

variable "workload_permissions_boundary_arn" {
  description = "The permissions boundary every IAM role of the environment carries (the bootstrap's bazaar-<env>-workload-boundary): the deploy role may only create roles that carry it. Null: none (an emulator)."
  type        = string
  default     = null

  validation {
    condition     = var.workload_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", coalesce(var.workload_permissions_boundary_arn, "x")))
    error_message = "workload_permissions_boundary_arn must be an IAM policy ARN."
  }
}

# The browser app (web.tf, modules/web).

variable "web_aliases" {
  description = "Host names the browser app is served at besides its <id>.cloudfront.net name (e.g. [\"shop.example.com\"]); each also becomes a Cognito callback and sign-out URL. Needs web_certificate_arn. Point each name at the web_url's distribution yourself (an alias record to distribution_domain_name)."
  type        = list(string)
  default     = []
}

variable "web_certificate_arn" {
  description = "An ACM certificate in us-east-1 (CloudFront takes certificates from there only) covering web_aliases. Null: the *.cloudfront.net name and CloudFront's certificate."
  type        = string
  default     = null
}

variable "web_price_class" {
  description = "The CloudFront edge locations that serve the app: PriceClass_100 (North America, Europe, Israel), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"
}

variable "web_acl_arn" {
  description = "A WAFv2 web ACL of scope CLOUDFRONT (made in us-east-1) in front of the whole distribution. Null: none; the API's paths still pass the ALB's regional web ACL."
  type        = string
  default     = null
}

variable "web_auth_domain_prefix" {
  description = "The Cognito hosted UI's domain prefix (<prefix>.auth.<region>.amazoncognito.com), unique in the region across every AWS account. Null: <name>-<account id>."
  type        = string
  default     = null
}

# Switches for what an emulator does not implement (envs/moto); AWS needs none.

variable "enable_web" {
  description = "Host the browser app (web.tf): the bucket, the CloudFront distribution in front of it and of the API, the Cognito hosted UI domain and the browser's app client (whose id joins AUTH_CLIENT_IDS). False only on an emulator: moto 5.2.5 answers CreateResponseHeadersPolicy and PublishFunction with 404, and reads a distribution back without its Origin Access Control (modules/web's README)."
  type        = bool
  default     = true
}

variable "restrict_dlq_sources" {
  description = "Allow only each DLQ's own queue to send dead letters to it (aws_sqs_queue_redrive_allow_policy). moto keeps no RedriveAllowPolicy, and the provider then waits forever: envs/moto turns it off."
  type        = bool
  default     = true
}

variable "db_monitoring_interval" {
  description = "Seconds between Aurora Enhanced Monitoring samples; 0 turns it off (envs/moto: moto has no AmazonRDSEnhancedMonitoringRole policy to attach)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.db_monitoring_interval)
    error_message = "db_monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "enable_autoscaling" {
  description = "Scale every service between its min tasks and max_tasks (CPU and queue backlog). Off only on an emulator (moto answers NotImplemented for the scaling target's tags, and the provider retries forever)."
  type        = bool
  default     = true
}

variable "enable_execute_command" {
  description = "Allow ECS Exec into the tasks (sessions encrypted and logged by the cluster). Off in prod unless an incident needs it."
  type        = bool
  default     = false
}

variable "allow_admin_password_auth" {
  description = "Let the app client accept ADMIN_USER_PASSWORD_AUTH, so the release pipeline's load test can create temporary users and get real tokens for them (staging). It needs IAM credentials (cognito-idp:AdminInitiateAuth): nothing public changes."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of every log group of the environment (tasks, VPC flow logs, ECS Exec, PostgreSQL, WAF)."
  type        = number
  default     = 365

  validation {
    condition     = contains(local.log_retentions, var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "fargate_spot_weight" {
  description = "FARGATE_SPOT's weight against FARGATE's 1 for the tasks beyond the first of each service (0: no Spot; 3: three in four extra tasks on Spot)."
  type        = number
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000 && floor(var.fargate_spot_weight) == var.fargate_spot_weight
    error_message = "fargate_spot_weight must be a whole number from 0 to 1000."
  }
}

variable "stop_timeout_seconds" {
  description = "The app containers' stopTimeout; the ALB's deregistration delay is derived from it so draining ends before a task is killed."
  type        = number
  default     = 30
}

variable "trace_sample_ratio" {
  description = "The share of traces the services record and export (parent-based: a request that arrives sampled stays sampled)."
  type        = number
  default     = 0.1

  validation {
    condition     = var.trace_sample_ratio >= 0 && var.trace_sample_ratio <= 1
    error_message = "trace_sample_ratio must be within 0..1."
  }
}

variable "alarm_subscriptions" {
  description = "Who the environment's alarm topic notifies (every alarm, AWS Config non-compliance, AWS Backup failures, the budget): e.g. [{ protocol = \"email\", endpoint = \"oncall@example.com\" }]. An e-mail subscription waits for its confirmation link."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "alarm_thresholds" {
  description = "Overrides of modules/observability's alarm thresholds by name (e.g. { alb_5xx_rate_percent = 2 }); the rest keep the module's defaults (its README lists them)."
  type        = map(number)
  default     = {}
}

variable "monthly_budget_usd" {
  description = "The environment's monthly AWS Budgets limit in USD, notified to the alarm topic at 80 % actual and 100 % forecast (make cost prints the estimate to set it from). Null: no budget."
  type        = number
  default     = null
}

variable "cpu_architecture" {
  description = "The tasks' CPU architecture: X86_64, or ARM64 (Graviton, about 20 % cheaper; the deploy workflow builds every image for both)."
  type        = string
  default     = "X86_64"
}

variable "event_archive_retention_days" {
  description = "Days the bus's archive keeps every event for replay after a restore (docs/disaster-recovery.md); 0 keeps them forever, null makes no archive."
  type        = number
  default     = 30
}

variable "event_archive_bucket_lock_mode" {
  description = "Object lock mode of the event archive bucket (modules/event-archive): COMPLIANCE (no one, root included, deletes an archived event before event_archive_bucket_lock_days) or GOVERNANCE (an administrator with s3:BypassGovernanceRetention can). prod must keep COMPLIANCE."
  type        = string
  default     = "COMPLIANCE"

  validation {
    condition     = contains(["COMPLIANCE", "GOVERNANCE"], var.event_archive_bucket_lock_mode)
    error_message = "event_archive_bucket_lock_mode must be COMPLIANCE or GOVERNANCE."
  }

  validation {
    condition     = var.environment != "prod" || var.event_archive_bucket_lock_mode == "COMPLIANCE"
    error_message = "prod keeps its event archive in COMPLIANCE mode: no one may erase the shop's history."
  }
}

variable "event_archive_bucket_lock_days" {
  description = "Days every archived event version stays locked (then it stays, deletable: nothing expires the archive)."
  type        = number
  default     = 365

  validation {
    condition     = var.event_archive_bucket_lock_days >= 1 && var.event_archive_bucket_lock_days <= 36500 && floor(var.event_archive_bucket_lock_days) == var.event_archive_bucket_lock_days
    error_message = "event_archive_bucket_lock_days must be a whole number of days from 1 to 36500."
  }
}

variable "event_archive_bucket_access" {
  description = "Who uses the event archive bucket, by catalog service: \"writer\" (the one service that archives every event: audit) or \"reader\" (a read model that rebuilds from it). Each gets EVENT_ARCHIVE_BUCKET and the module's writer or reader policy on its task role; no other service gets either. A service joins here when it joins the catalog."
  type        = map(string)
  default     = { audit = "writer" }

  validation {
    condition     = alltrue([for access in values(var.event_archive_bucket_access) : contains(["writer", "reader"], access)])
    error_message = "event_archive_bucket_access's values must be \"writer\" or \"reader\"."
  }

  validation {
    # One writer: the archive's layout and its If-None-Match writes assume
    # a single service names the batches.
    condition     = length([for access in values(var.event_archive_bucket_access) : access if access == "writer"]) <= 1
    error_message = "event_archive_bucket_access may name one writer at most."
  }

  validation {
    condition     = length(setsubtract(keys(var.event_archive_bucket_access), keys(module.catalog.services))) == 0
    error_message = "event_archive_bucket_access names a service the catalog does not have; the catalog's services are: ${join(", ", sort(keys(module.catalog.services)))}."
  }
}

variable "enable_event_archive_bucket_policy" {
  description = "Attach the event archive bucket's policy (TLS only, the archive's key only, no delete markers). False only on an emulator: moto evaluates a bucket policy's Deny statements without their conditions, and the TLS-only one then refuses every object call."
  type        = bool
  default     = true
}

variable "manage_account_audit" {
  description = "Keep the account's audit trail: CloudTrail (all regions), the AWS Config recorder and its service-linked role, the managed rules and their alert to this environment's topic. Account-wide singletons: where environments share an account exactly one sets true; with an account per environment, each does."
  type        = bool
  default     = true
}

variable "aws_backup" {
  description = <<-EOT
    The AWS Backup plan of the database (docs/disaster-recovery.md): null for none (a disposable environment), else
    daily_retention_days of the daily snapshots; continuous: point-in-time recovery points too, kept
    db_backup_retention_days; copy_retention_days: how long backup_copy_vault_arn keeps its copies;
    vault_lock_min_days: a vault lock (its max is the longest retention).
  EOT
  type = object({
    daily_retention_days = number
    continuous           = optional(bool, false)
    copy_retention_days  = optional(number)
    vault_lock_min_days  = optional(number)
  })
  default = null
}

variable "backup_copy_vault_arn" {
  description = "A backup vault in a second region that gets a copy of every daily snapshot of aws_backup's plan. Null: no copy."
  type        = string
  default     = null
}

variable "aws_managed_policies_exist" {
  description = "Whether the account has AWS managed IAM policies to attach (AWS does; moto does not): the AWS Backup role's AWSBackupServiceRolePolicyForBackup. False only on an emulator."
  type        = bool
  default     = true
}

variable "enable_saved_queries" {
  description = "Save the Logs Insights queries of the dashboard's runbook. False only on an emulator: moto does not implement PutQueryDefinition (the provider retries forever)."
  type        = bool
  default     = true
}

variable "enable_backup_selection" {
  description = "Select the database into the AWS Backup plan. False only on an emulator: moto does not implement CreateBackupSelection (the provider retries forever)."
  type        = bool
  default     = true
}

variable "enable_backup_vault_notifications" {
  description = "Send the backup vault's events to the alarm topic. False only on an emulator: moto answers PutBackupVaultNotifications with 404."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
