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

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic) the messaging alarms notify; empty: alarms only show in CloudWatch."
  type        = list(string)
  default     = []
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
  description = "Requests per IP per 5 minutes before the WAF blocks."
  type        = number
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
