variable "name" {
  description = "The environment's resource prefix (e.g. \"bazaar-dev\"): every resource name starts with it."
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

variable "cidr" {
  description = "The VPC's IPv4 CIDR block. Subnets are carved from it with cidrsubnet(cidr, subnet_newbits, n)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition = (
      can(cidrhost(var.cidr, 0)) &&
      try(cidrsubnet(var.cidr, 0, 0) == var.cidr, false) &&
      try(tonumber(split("/", var.cidr)[1]) >= 16 && tonumber(split("/", var.cidr)[1]) <= 24, false)
    )
    error_message = "cidr must be an IPv4 network address in CIDR notation (e.g. \"10.0.0.0/16\") with a prefix length of /16 to /24."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for every subnet (4: a /16 VPC gets /20 subnets). Public subnets take netnums 0..az_count-1, private ones 8..8+az_count-1, so changing az_count never renumbers an existing subnet."
  type        = number
  default     = 4

  validation {
    condition     = var.subnet_newbits >= 4 && var.subnet_newbits <= 8 && floor(var.subnet_newbits) == var.subnet_newbits
    error_message = "subnet_newbits must be a whole number from 4 to 8 (at least 16 subnets must fit)."
  }

  # AWS's smallest subnet is a /28.
  validation {
    condition     = try(tonumber(split("/", var.cidr)[1]) + var.subnet_newbits <= 28, true)
    error_message = "The subnets (cidr prefix + subnet_newbits) must be /28 or larger."
  }
}

variable "az_count" {
  description = "How many availability zones the VPC spans (one public and one private subnet in each): 2 or 3."
  type        = number
  default     = 3

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "azs" {
  description = "Availability zone names to use, exactly az_count of them. Null: the first az_count zones of the region that need no opt-in."
  type        = list(string)
  default     = null

  validation {
    condition     = var.azs == null || try(length(var.azs) == var.az_count && length(distinct(var.azs)) == length(var.azs), false)
    error_message = "azs must list exactly az_count distinct availability zone names (or be null)."
  }
}

variable "single_nat_gateway" {
  description = "true: one NAT gateway shared by every private subnet (cheap, for dev; an AZ outage cuts egress). false: one NAT gateway per AZ (prod)."
  type        = bool
  default     = false
}

variable "enable_interface_endpoints" {
  description = "Create the interface VPC endpoints (interface_endpoint_services) in the private subnets, so image pulls, logs, secrets and messaging stay off the NAT gateways. The S3 gateway endpoint is always created (it is free)."
  type        = bool
  default     = true
}

variable "interface_endpoint_services" {
  description = "The AWS services that get an interface endpoint (the part after com.amazonaws.<region>.). Add \"ssmmessages\" if tasks must reach ECS Exec without a NAT gateway."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "events"]

  validation {
    condition     = alltrue([for service in var.interface_endpoint_services : can(regex("^[a-z0-9][a-z0-9.-]*$", service))])
    error_message = "interface_endpoint_services must be service names such as \"ecr.api\" or \"logs\"."
  }
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group, in days (a value CloudWatch Logs accepts; 0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention CloudWatch Logs accepts (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow log records: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "flow_log_kms_key_arn" {
  description = "ARN of an existing KMS key that encrypts the flow log group (its policy must let CloudWatch Logs use it). Null: the module creates a customer managed key with rotation on."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.flow_log_kms_key_arn))
    error_message = "flow_log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
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

variable "permissions_boundary_arn" {
  description = "The IAM policy the flow log delivery role carries as its permissions boundary (the environment's workload boundary, <name>-workload-boundary from the bootstrap). Null: none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", coalesce(var.permissions_boundary_arn, "x")))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>) or null."
  }
}
