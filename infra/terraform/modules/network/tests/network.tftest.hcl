# terraform test: the network module against a mocked AWS provider.

mock_provider "aws" {
  # The flow log validates these ARNs; mocked strings would be random.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-log/bazaar-test"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/bazaar-test-vpc-flow-log"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }

  override_data {
    target = data.aws_availability_zones.available
    values = {
      names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }
  }

  override_data {
    target = data.aws_region.current
    values = {
      name = "eu-west-1"
    }
  }

  override_data {
    target = data.aws_caller_identity.current
    values = {
      account_id = "123456789012"
    }
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition = "aws"
    }
  }
}

variables {
  name = "bazaar-test"
  tags = { Project = "bazaar" }
}

run "three_azs_get_a_public_and_a_private_subnet_and_a_nat_each" {
  command = apply

  assert {
    condition     = length(aws_subnet.public) == 3 && length(aws_subnet.private) == 3
    error_message = "Each tier should have one subnet per AZ (az_count = 3)."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "single_nat_gateway = false should give one NAT gateway (and EIP) per AZ."
  }

  assert {
    condition     = output.azs == tolist(["eu-west-1a", "eu-west-1b", "eu-west-1c"]) && aws_subnet.private[2].availability_zone == "eu-west-1c"
    error_message = "Subnets should be spread over the region's zones in order."
  }

  assert {
    condition     = aws_subnet.public[*].cidr_block == ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    error_message = "Public subnets are cidrsubnet(cidr, 4, 0..2): ${jsonencode(aws_subnet.public[*].cidr_block)}"
  }

  assert {
    condition     = aws_subnet.private[*].cidr_block == ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"]
    error_message = "Private subnets are cidrsubnet(cidr, 4, 8..10): ${jsonencode(aws_subnet.private[*].cidr_block)}"
  }

  assert {
    condition     = alltrue([for subnet in concat(aws_subnet.public, aws_subnet.private) : subnet.map_public_ip_on_launch == false])
    error_message = "No subnet should hand out public IPs on launch."
  }

  assert {
    condition     = alltrue([for index, route in aws_route.private_nat : route.nat_gateway_id == aws_nat_gateway.this[index].id])
    error_message = "Each private route table should route through the NAT gateway of its own AZ."
  }

  assert {
    condition     = alltrue([for index, nat in aws_nat_gateway.this : nat.subnet_id == aws_subnet.public[index].id])
    error_message = "NAT gateways should sit in the public subnets."
  }

  assert {
    condition     = aws_route.public_internet.gateway_id == aws_internet_gateway.this.id && aws_route.public_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "The public route table should route 0.0.0.0/0 to the internet gateway."
  }

  assert {
    condition     = length(output.public_subnet_ids) == 3 && length(output.private_subnet_ids) == 3 && length(output.nat_gateway_ids) == 3
    error_message = "The outputs should list one subnet per AZ per tier and every NAT gateway."
  }

  assert {
    condition     = output.vpc_cidr == "10.0.0.0/16" && aws_vpc.this.enable_dns_hostnames && aws_vpc.this.enable_dns_support
    error_message = "The VPC should use the default CIDR and have DNS support and hostnames on (private DNS for endpoints)."
  }

  assert {
    condition     = aws_vpc.this.tags.Name == "bazaar-test" && aws_vpc.this.tags.Project == "bazaar"
    error_message = "Resources should be named after the prefix and carry the given tags."
  }
}

run "single_nat_gateway_gives_one_nat_shared_by_every_private_subnet" {
  command = apply

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_eip.nat) == 1 && length(output.nat_gateway_ids) == 1
    error_message = "single_nat_gateway = true should create exactly one NAT gateway."
  }

  assert {
    condition     = length(aws_route.private_nat) == 3 && alltrue([for route in aws_route.private_nat : route.nat_gateway_id == aws_nat_gateway.this[0].id])
    error_message = "Every private route table should route through the single NAT gateway."
  }
}

run "two_azs_give_two_subnets_per_tier" {
  command = plan

  variables {
    az_count = 2
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.private) == 2
    error_message = "az_count = 2 should give two subnets per tier."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_route_table.private) == 2
    error_message = "az_count = 2 should give two NAT gateways and two private route tables."
  }

  assert {
    condition     = output.azs == tolist(["eu-west-1a", "eu-west-1b"])
    error_message = "The first two zones should be used."
  }
}

run "explicit_azs_and_cidr_are_used" {
  command = plan

  variables {
    az_count = 2
    azs      = ["eu-west-1c", "eu-west-1b"]
    cidr     = "172.20.0.0/20"
  }

  assert {
    condition     = aws_subnet.public[0].availability_zone == "eu-west-1c" && aws_subnet.private[1].availability_zone == "eu-west-1b"
    error_message = "The given azs should be used in the given order."
  }

  assert {
    condition     = length(data.aws_availability_zones.available) == 0
    error_message = "With explicit azs the zones should not be looked up."
  }

  assert {
    condition     = aws_vpc.this.cidr_block == "172.20.0.0/20" && aws_subnet.public[0].cidr_block == "172.20.0.0/24" && aws_subnet.private[0].cidr_block == "172.20.8.0/24"
    error_message = "Subnets should be carved from the given CIDR."
  }
}

run "every_endpoint_is_present_private_and_https_only_from_the_vpc" {
  command = apply

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "events"])
    error_message = "There should be interface endpoints for ecr.api, ecr.dkr, logs, secretsmanager, sqs and events: ${jsonencode(keys(aws_vpc_endpoint.interface))}"
  }

  assert {
    condition = alltrue([
      for service, endpoint in aws_vpc_endpoint.interface :
      endpoint.service_name == "com.amazonaws.eu-west-1.${service}" &&
      endpoint.vpc_endpoint_type == "Interface" &&
      endpoint.private_dns_enabled &&
      toset(endpoint.subnet_ids) == toset(aws_subnet.private[*].id) &&
      toset(endpoint.security_group_ids) == toset([aws_security_group.endpoints[0].id])
    ])
    error_message = "Every interface endpoint should be in the private subnets, with private DNS and the endpoint security group."
  }

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3.service_name == "com.amazonaws.eu-west-1.s3"
    error_message = "There should be an S3 gateway endpoint."
  }

  assert {
    condition     = toset(aws_vpc_endpoint.s3.route_table_ids) == toset(aws_route_table.private[*].id)
    error_message = "The S3 gateway endpoint should be on every private route table."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.endpoints_https[0].ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.endpoints_https[0].from_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_https[0].to_port == 443 &&
      aws_vpc_security_group_ingress_rule.endpoints_https[0].cidr_ipv4 == "10.0.0.0/16"
    )
    error_message = "The endpoint security group should allow only TCP 443 from the VPC CIDR."
  }

  assert {
    condition     = output.endpoint_security_group_id == aws_security_group.endpoints[0].id
    error_message = "The endpoint security group's ID should be an output."
  }
}

run "interface_endpoints_can_be_turned_off_but_s3_stays" {
  command = plan

  variables {
    enable_interface_endpoints = false
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_security_group.endpoints) == 0
    error_message = "enable_interface_endpoints = false should create no interface endpoints and no endpoint security group."
  }

  assert {
    condition     = output.endpoint_security_group_id == null && output.interface_endpoint_ids == {}
    error_message = "Without interface endpoints their outputs should be null / empty."
  }

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "The S3 gateway endpoint should stay."
  }
}

run "flow_logs_go_to_a_kms_encrypted_log_group" {
  command = apply

  assert {
    condition     = aws_flow_log.this.vpc_id == aws_vpc.this.id && aws_flow_log.this.traffic_type == "ALL"
    error_message = "The VPC should have a flow log of all traffic."
  }

  assert {
    condition     = aws_flow_log.this.log_destination_type == "cloud-watch-logs" && aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_log.arn
    error_message = "The flow log should be delivered to the CloudWatch log group."
  }

  assert {
    condition     = aws_flow_log.this.iam_role_arn == aws_iam_role.flow_log.arn
    error_message = "The flow log should deliver through the module's role."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log.kms_key_id == aws_kms_key.flow_log[0].arn && aws_kms_key.flow_log[0].enable_key_rotation
    error_message = "The flow log group should be encrypted with the module's KMS key, which rotates."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log.retention_in_days == 365 && aws_cloudwatch_log_group.flow_log.name == "/aws/vpc-flow-log/bazaar-test"
    error_message = "The flow log group should keep logs for a year by default and be named after the prefix."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_kms_key.flow_log[0].policy).Statement :
      try(statement.Principal.Service, "") == "logs.eu-west-1.amazonaws.com" &&
      try(statement.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"], "") == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-log/bazaar-test"
    ])
    error_message = "The key policy should let CloudWatch Logs use the key for the flow log group only."
  }

  assert {
    condition     = jsondecode(aws_iam_role.flow_log.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "Only this account's flow logs should be able to assume the role."
  }

  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group should have no rules."
  }

  assert {
    condition     = aws_iam_role.flow_log.permissions_boundary == null
    error_message = "Without permissions_boundary_arn the role has no boundary."
  }
}

run "the_flow_log_role_carries_the_given_permissions_boundary" {
  command = plan

  variables {
    permissions_boundary_arn = "arn:aws:iam::123456789012:policy/bazaar-test-workload-boundary"
  }

  assert {
    condition     = aws_iam_role.flow_log.permissions_boundary == "arn:aws:iam::123456789012:policy/bazaar-test-workload-boundary"
    error_message = "The flow log role should carry the environment's workload boundary."
  }
}

run "a_permissions_boundary_that_is_not_a_policy_arn_is_refused" {
  command = plan

  variables {
    permissions_boundary_arn = "bazaar-test-workload-boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
}

run "a_given_kms_key_and_retention_are_used" {
  command = plan

  variables {
    flow_log_kms_key_arn    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    flow_log_retention_days = 30
  }

  assert {
    condition     = length(aws_kms_key.flow_log) == 0 && aws_cloudwatch_log_group.flow_log.kms_key_id == var.flow_log_kms_key_arn
    error_message = "A given key should be used and none created."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log.retention_in_days == 30
    error_message = "The given retention should be used."
  }
}

run "four_azs_are_refused" {
  command = plan

  variables {
    az_count = 4
  }

  expect_failures = [var.az_count]
}

run "a_malformed_cidr_is_refused" {
  command = plan

  variables {
    cidr = "10.0.0.0/33"
  }

  expect_failures = [var.cidr]
}

run "a_cidr_that_is_not_a_network_address_is_refused" {
  command = plan

  variables {
    cidr = "10.0.0.1/16"
  }

  expect_failures = [var.cidr]
}

run "a_cidr_too_small_for_the_subnets_is_refused" {
  command = plan

  variables {
    cidr = "10.0.0.0/26"
  }

  expect_failures = [var.cidr]
}

run "azs_that_do_not_match_az_count_are_refused" {
  command = plan

  variables {
    az_count = 3
    azs      = ["eu-west-1a", "eu-west-1b"]
  }

  expect_failures = [var.azs]
}

run "an_unknown_flow_log_retention_is_refused" {
  command = plan

  variables {
    flow_log_retention_days = 42
  }

  expect_failures = [var.flow_log_retention_days]
}

run "a_bad_name_is_refused" {
  command = plan

  variables {
    name = "Bazaar_Dev"
  }

  expect_failures = [var.name]
}

run "subnets_smaller_than_a_slash_28_are_refused" {
  command = plan

  variables {
    cidr           = "10.0.0.0/24"
    subnet_newbits = 6
  }

  expect_failures = [var.subnet_newbits]
}
