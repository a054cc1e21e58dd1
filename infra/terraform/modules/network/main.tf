# A VPC for Fargate services: public subnets hold only the load balancer and the
# NAT gateways; tasks run in the private subnets and reach AWS through VPC
# endpoints (vpc.tf, endpoints.tf). Every flow is logged (flow_logs.tf).

data "aws_availability_zones" "available" {
  count = var.azs == null ? 1 : 0

  state = "available"

  # Opt-in (Local Zone, Wavelength) zones lack Fargate and NAT gateways.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  azs = var.azs != null ? var.azs : slice(data.aws_availability_zones.available[0].names, 0, var.az_count)

  # Private subnets start at netnum 8 so a third AZ's public subnet never
  # collides with the first private one.
  public_subnet_cidrs  = [for index in range(var.az_count) : cidrsubnet(var.cidr, var.subnet_newbits, index)]
  private_subnet_cidrs = [for index in range(var.az_count) : cidrsubnet(var.cidr, var.subnet_newbits, 8 + index)]

  nat_gateway_count = var.single_nat_gateway ? 1 : var.az_count

  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
}
