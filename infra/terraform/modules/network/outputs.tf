output "vpc_id" {
  description = "The VPC's ID."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "The VPC's IPv4 CIDR block."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "The availability zones used, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnet IDs, one per AZ in the order of azs (for the load balancer)."
  value       = aws_subnet.public[*].id
}

output "public_subnet_cidrs" {
  description = "Public subnet CIDR blocks, in the order of azs."
  value       = aws_subnet.public[*].cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet IDs, one per AZ in the order of azs (for ECS tasks and databases)."
  value       = aws_subnet.private[*].id
}

output "private_subnet_cidrs" {
  description = "Private subnet CIDR blocks, in the order of azs."
  value       = aws_subnet.private[*].cidr_block
}

output "public_route_table_id" {
  description = "The route table of the public subnets."
  value       = aws_route_table.public.id
}

output "private_route_table_ids" {
  description = "The private subnets' route tables, one per AZ in the order of azs."
  value       = aws_route_table.private[*].id
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs: one if single_nat_gateway, else one per AZ in the order of azs."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "The NAT gateways' Elastic IPs (the VPC's egress addresses, for allow-lists elsewhere)."
  value       = aws_eip.nat[*].public_ip
}

output "endpoint_security_group_id" {
  description = "The security group of the interface endpoints (HTTPS from the VPC CIDR); null when enable_interface_endpoints is false."
  value       = one(aws_security_group.endpoints[*].id)
}

output "interface_endpoint_ids" {
  description = "Interface VPC endpoint IDs by service (\"ecr.api\", \"logs\", ...); empty when enable_interface_endpoints is false."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint's ID."
  value       = aws_vpc_endpoint.s3.id
}

output "s3_endpoint_prefix_list_id" {
  description = "The S3 gateway endpoint's prefix list ID (for security group egress rules to S3)."
  value       = aws_vpc_endpoint.s3.prefix_list_id
}

output "flow_log_id" {
  description = "The VPC flow log's ID."
  value       = aws_flow_log.this.id
}

output "flow_log_group_name" {
  description = "The CloudWatch log group receiving the VPC flow log."
  value       = aws_cloudwatch_log_group.flow_log.name
}

output "flow_log_kms_key_arn" {
  description = "The KMS key encrypting the flow log group (created by the module unless flow_log_kms_key_arn was given)."
  value       = local.flow_log_kms_key_arn
}
