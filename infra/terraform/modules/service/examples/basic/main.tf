# orders in a dev environment: the catalog's entry, its queue and DLQ, the
# bus, and the shared network, cluster and ALB pieces an environment has.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = { Project = "bazaar", Environment = "dev" }
  }
}

module "catalog" {
  source          = "../../../catalog"
  resource_prefix = "bazaar-dev"
}

module "orders" {
  source = "../.."

  name    = "bazaar-dev"
  service = module.catalog.services["orders"]
  image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar/orders:2026.12.01-3f9c2ab"

  environment = {
    ENVIRONMENT     = "dev"
    AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI"
    AUTH_CLIENT_IDS = "3n4b5c6d7e8f9g0h1i2j3k4l5m"
    INVENTORY_URL   = "http://inventory.bazaar-dev.internal:8001"
    LOG_LEVEL       = "INFO"
    # Only the ALB reaches the port, so its X-Forwarded-* may be trusted.
    FORWARDED_ALLOW_IPS = "*"
  }
  database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-dev/orders/database-url-Ab12Cd"
  migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-dev/orders/migrations-database-url-Ef34Gh"
  secrets_kms_key_arns               = ["arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"]
  database = {
    host              = "bazaar-dev-db.cluster-abc.eu-west-1.rds.amazonaws.com"
    port              = 5432
    name              = "orders"
    master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b2c3d-Ij56Kl"
  }
  kms_key_arns = ["arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-7777-8888-9999-000011112222"]

  cluster_arn                = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-dev"
  vpc_id                     = "vpc-0a1b2c3d4e5f60718"
  private_subnet_ids         = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
  alb_security_group_id      = "sg-0a1b2c3d4e5f6a001"
  database_security_group_id = "sg-0a1b2c3d4e5f6d002"
  target_group_arn           = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-dev-orders/0123456789abcdef"
  service_discovery_arn      = "arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-abcdefghijklmnop"

  queue_arn = "arn:aws:sqs:eu-west-1:111122223333:${module.catalog.queues["orders"].queue_name}"
  dlq_arn   = "arn:aws:sqs:eu-west-1:111122223333:${module.catalog.queues["orders"].dlq_name}"
  bus_arn   = "arn:aws:events:eu-west-1:111122223333:event-bus/${module.catalog.bus_name}"

  capacity_provider_strategy = [
    { capacity_provider = "FARGATE", weight = 1, base = 1 },
    { capacity_provider = "FARGATE_SPOT", weight = 3 },
  ]
  enable_execute_command = true
  exec_log_group_arn     = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/ecs/bazaar-dev/exec"
  exec_kms_key_arn       = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff"

  tags = { Service = "orders" }
}

output "orders_service_name" {
  description = "The ECS service."
  value       = module.orders.service_name
}

output "orders_security_group_id" {
  description = "For the database's ingress rule."
  value       = module.orders.security_group_id
}
