variable "region" {
  description = "The AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "image_tags" {
  description = "The image tag of every catalog service (service => tag, e.g. the git sha CI built and pushed). No default: CI passes it on every plan and apply."
  type        = map(string)
}

variable "certificate_arn" {
  description = "The ACM certificate (in region) of the environment's API hostname, served by the ALB."
  type        = string
}

variable "api_domain_name" {
  description = "The API's host name (its certificate's); with route53_zone_id the platform keeps its alias record to the ALB. Empty or null: none."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "The Route 53 hosted zone holding api_domain_name. Empty or null: none."
  type        = string
  default     = null
}

variable "web_aliases" {
  description = "Host names the browser app is served at besides its <id>.cloudfront.net name (set in terraform.tfvars, with web_certificate_arn); point each at the web_distribution_domain_name output. Empty: none."
  type        = list(string)
  default     = []
}

variable "web_certificate_arn" {
  description = "An ACM certificate in us-east-1 covering web_aliases (CloudFront takes certificates from there only). Null: CloudFront's own, for the *.cloudfront.net name."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "The address (a team list) the environment's alarm topic e-mails: every alarm, AWS Config non-compliance, backup failures, the budget. The deploy sets it from the GitHub environment variable ALARM_EMAIL; empty: no subscription (alarms still show in CloudWatch). AWS mails a confirmation link first."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or empty."
  }
}

# The environment's sizes: values in terraform.tfvars. The security switches
# default to on, so a scan without the tfvars (or a forgotten line) is safe.

variable "vpc_cidr" {
  description = "The VPC's CIDR (distinct per environment, so they can be peered later)."
  type        = string
}

variable "az_count" {
  description = "Availability zones (2 or 3)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per AZ."
  type        = bool
}

variable "db_min_capacity" {
  description = "Aurora Serverless v2 minimum ACUs."
  type        = number
}

variable "db_max_capacity" {
  description = "Aurora Serverless v2 maximum ACUs."
  type        = number
}

variable "db_instance_count" {
  description = "Aurora instances (writer + readers)."
  type        = number
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB, database and user pool (false also lets destroy empty ECR, logs and secrets)."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Take a final database snapshot on deletion."
  type        = bool
  default     = true
}

variable "enable_waf" {
  description = "WAFv2 web ACL in front of the ALB."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per IP per 5 minutes before the WAF answers 429. null: infra/terraform/modules/alb/rate_limit.json's, the one number every environment and the local gateway share."
  type        = number
  default     = null
}

variable "waf_rate_limit_exempt_cidrs" {
  description = "IPv4 CIDRs the WAF's per-IP rate limit does not count (a load generator's fixed egress address)."
  type        = list(string)
  default     = []
}

variable "min_tasks_per_service" {
  description = "The fewest tasks any service runs: 2 or more spreads each service over two availability zones (prod: at least 2)."
  type        = number
}

variable "enable_autoscaling" {
  description = "Scale the services between their catalog min_tasks and max_tasks."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of every log group of the environment."
  type        = number
}

variable "fargate_spot_weight" {
  description = "FARGATE_SPOT's weight against FARGATE's 1 beyond each service's first task (0: no Spot)."
  type        = number
}

variable "allow_admin_password_auth" {
  description = "Let the release pipeline's load test create temporary users and sign them in with admin credentials (staging)"
  type        = bool
  default     = false
}

variable "monthly_budget_usd" {
  description = "The monthly AWS Budgets limit (USD) the alarm topic hears about at 80 % actual and 100 % forecast; set from make cost's estimate."
  type        = number
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton): the architecture the tasks run on; the deploy builds every image for both."
  type        = string
  default     = "X86_64"
}

variable "event_archive_retention_days" {
  description = "Days the bus's archive keeps events for replay after a restore (docs/disaster-recovery.md)."
  type        = number
}

variable "event_archive_bucket_lock_mode" {
  description = "Object lock mode of the S3 event archive (modules/event-archive): COMPLIANCE or GOVERNANCE (prod: COMPLIANCE)."
  type        = string
}

variable "event_archive_bucket_lock_days" {
  description = "Days every archived event stays locked in the S3 event archive."
  type        = number
}

variable "db_seconds_until_auto_pause" {
  description = "Idle seconds before Aurora pauses at 0 ACUs (db_min_capacity = 0); null: never."
  type        = number
  default     = null
}

variable "db_backup_retention_days" {
  description = "Days of Aurora's automated backups: the reach of a point-in-time restore (docs/disaster-recovery.md)."
  type        = number
}

variable "aws_backup" {
  description = "The AWS Backup plan of the database (modules/platform's aws_backup); null for none. Its copy vault comes from backup_copy_vault_arn."
  type = object({
    daily_retention_days = number
    continuous           = optional(bool, false)
    copy_retention_days  = optional(number)
    vault_lock_min_days  = optional(number)
  })
  default = null
}

variable "backup_copy_vault_arn" {
  description = "A backup vault in a second region that gets a copy of every daily snapshot (made there by hand or another root). The deploy sets it from the GitHub environment variable BACKUP_COPY_VAULT_ARN; empty: no copy."
  type        = string
  default     = ""
}

variable "manage_account_audit" {
  description = "This environment keeps the account's audit trail (CloudTrail, AWS Config and its rules): exactly one environment per account (modules/platform)."
  type        = bool
}
