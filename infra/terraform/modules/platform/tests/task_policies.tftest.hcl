# terraform test: the service module's task policy rendered for real by the
# provider (offline, no credentials) from the wiring the platform gives each
# service. Apart from tests/platform.tftest.hcl because these runs configure
# the real provider: the mocked runs share one provider process, and a
# provider process takes only one configuration.

mock_provider "aws" {
  source = "./tests/mocks"
}

# The real provider renders aws_iam_policy_document locally: no API call,
# so fake keys and no account lookup are enough.
provider "aws" {
  alias                       = "offline"
  region                      = "eu-west-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  name            = "bazaar-test"
  environment     = "dev"
  region          = "eu-west-1"
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
  az_count        = 2
  # The browser app gives no task a policy (tests/platform.tftest.hcl reads
  # it); off, it raises no warning about its API origin here either.
  enable_web = false

  # One tag per service of the real catalog, read as modules/catalog reads it
  # (from this folder, where terraform test runs): make new-service adds one.
  image_tags = {
    for file in fileset("../../../..", "services/*/src/*/service.yaml") :
    yamldecode(file("../../../../${file}")).name => "3f2a9c1d0b7e"
  }
}

# The platform's wiring of every service, as the runs below read it.
run "platform_wiring" {
  command = plan
}

# The service module's task policy, rendered by the real provider (offline)
# from the wiring the platform gives inventory: jsondecode it and check every SQS
# statement but the point-to-point one names only inventory's own queue or DLQ,
# and that one only the queues of the services receiving its commands or replies.
run "inventory_task_policy_names_only_its_own_queue_and_dlq" {
  command   = plan
  providers = { aws = aws.offline }

  module {
    source = "../service"
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  variables {
    name    = "bazaar-test"
    service = run.platform_wiring.services["inventory"]
    image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar-test/inventory:3f2a9c1d0b7e"
    environment = {
      ENVIRONMENT     = "dev"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
    }
    database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/inventory/database-url-Ab12Cd"
    migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/inventory/migrations-database-url-Ef34Gh"
    database                           = { host = "bazaar-test-db.cluster-x.eu-west-1.rds.amazonaws.com", port = 5432, name = "inventory", master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b-Ij56Kl" }
    cluster_arn                        = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-test"
    vpc_id                             = "vpc-0a1b2c3d4e5f60718"
    private_subnet_ids                 = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
    alb_security_group_id              = "sg-0a1b2c3d4e5f6a001"
    database_security_group_id         = "sg-0a1b2c3d4e5f6d002"
    target_group_arn                   = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-test-inventory/0123456789abcdef"
    queue_arn                          = run.platform_wiring.service_inputs["inventory"].queue_arn
    dlq_arn                            = run.platform_wiring.service_inputs["inventory"].dlq_arn
    point_to_point_receivers           = run.platform_wiring.service_inputs["inventory"].point_to_point_receivers
    bus_arn                            = "arn:aws:events:eu-west-1:111122223333:event-bus/bazaar-test"
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : [
        for resource in flatten([statement.Resource]) : contains([var.queue_arn, var.dlq_arn], resource)
      ] if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ]))
    error_message = "An SQS statement of inventory's task policy names a resource other than its own queue and DLQ."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource]) if try(statement.Sid, "") != "SendPointToPoint"])),
      toset(flatten([
        for svc, inputs in run.platform_wiring.service_inputs : [inputs.queue_arn, inputs.dlq_arn]
        if svc != "inventory" && inputs.queue_arn != null
      ])),
    )) == 0
    error_message = "inventory's task policy names another service's queue or DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-inventory", "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-inventory-dlq"])
    error_message = "inventory consumes from its queue and reads its DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if try(statement.Sid, "") == "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders"])
    error_message = "inventory's relay may send only to the queues of orders: those receiving its point-to-point types."
  }
}

# The service module's task policy, rendered by the real provider (offline)
# from the wiring the platform gives orders: jsondecode it and check every SQS
# statement but the point-to-point one names only orders's own queue or DLQ,
# and that one only the queues of the services receiving its commands or replies.
run "orders_task_policy_names_only_its_own_queue_and_dlq" {
  command   = plan
  providers = { aws = aws.offline }

  module {
    source = "../service"
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  variables {
    name    = "bazaar-test"
    service = run.platform_wiring.services["orders"]
    image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar-test/orders:3f2a9c1d0b7e"
    environment = {
      ENVIRONMENT     = "dev"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
    }
    database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/database-url-Ab12Cd"
    migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/migrations-database-url-Ef34Gh"
    database                           = { host = "bazaar-test-db.cluster-x.eu-west-1.rds.amazonaws.com", port = 5432, name = "orders", master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b-Ij56Kl" }
    cluster_arn                        = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-test"
    vpc_id                             = "vpc-0a1b2c3d4e5f60718"
    private_subnet_ids                 = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
    alb_security_group_id              = "sg-0a1b2c3d4e5f6a001"
    database_security_group_id         = "sg-0a1b2c3d4e5f6d002"
    target_group_arn                   = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-test-orders/0123456789abcdef"
    queue_arn                          = run.platform_wiring.service_inputs["orders"].queue_arn
    dlq_arn                            = run.platform_wiring.service_inputs["orders"].dlq_arn
    point_to_point_receivers           = run.platform_wiring.service_inputs["orders"].point_to_point_receivers
    bus_arn                            = "arn:aws:events:eu-west-1:111122223333:event-bus/bazaar-test"
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : [
        for resource in flatten([statement.Resource]) : contains([var.queue_arn, var.dlq_arn], resource)
      ] if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ]))
    error_message = "An SQS statement of orders's task policy names a resource other than its own queue and DLQ."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource]) if try(statement.Sid, "") != "SendPointToPoint"])),
      toset(flatten([
        for svc, inputs in run.platform_wiring.service_inputs : [inputs.queue_arn, inputs.dlq_arn]
        if svc != "orders" && inputs.queue_arn != null
      ])),
    )) == 0
    error_message = "orders's task policy names another service's queue or DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders", "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders-dlq"])
    error_message = "orders consumes from its queue and reads its DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if try(statement.Sid, "") == "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-inventory", "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-payments"])
    error_message = "orders's relay may send only to the queues of inventory and payments: those receiving its point-to-point types."
  }
}

# The service module's task policy, rendered by the real provider (offline)
# from the wiring the platform gives payments: jsondecode it and check every SQS
# statement but the point-to-point one names only payments's own queue or DLQ,
# and that one only the queues of the services receiving its commands or replies.
run "payments_task_policy_names_only_its_own_queue_and_dlq" {
  command   = plan
  providers = { aws = aws.offline }

  module {
    source = "../service"
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  variables {
    name    = "bazaar-test"
    service = run.platform_wiring.services["payments"]
    image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar-test/payments:3f2a9c1d0b7e"
    environment = {
      ENVIRONMENT     = "dev"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
    }
    database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/payments/database-url-Ab12Cd"
    migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/payments/migrations-database-url-Ef34Gh"
    database                           = { host = "bazaar-test-db.cluster-x.eu-west-1.rds.amazonaws.com", port = 5432, name = "payments", master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b-Ij56Kl" }
    cluster_arn                        = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-test"
    vpc_id                             = "vpc-0a1b2c3d4e5f60718"
    private_subnet_ids                 = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
    alb_security_group_id              = "sg-0a1b2c3d4e5f6a001"
    database_security_group_id         = "sg-0a1b2c3d4e5f6d002"
    target_group_arn                   = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-test-payments/0123456789abcdef"
    queue_arn                          = run.platform_wiring.service_inputs["payments"].queue_arn
    dlq_arn                            = run.platform_wiring.service_inputs["payments"].dlq_arn
    point_to_point_receivers           = run.platform_wiring.service_inputs["payments"].point_to_point_receivers
    bus_arn                            = "arn:aws:events:eu-west-1:111122223333:event-bus/bazaar-test"
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : [
        for resource in flatten([statement.Resource]) : contains([var.queue_arn, var.dlq_arn], resource)
      ] if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ]))
    error_message = "An SQS statement of payments's task policy names a resource other than its own queue and DLQ."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource]) if try(statement.Sid, "") != "SendPointToPoint"])),
      toset(flatten([
        for svc, inputs in run.platform_wiring.service_inputs : [inputs.queue_arn, inputs.dlq_arn]
        if svc != "payments" && inputs.queue_arn != null
      ])),
    )) == 0
    error_message = "payments's task policy names another service's queue or DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-payments", "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-payments-dlq"])
    error_message = "payments consumes from its queue and reads its DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if try(statement.Sid, "") == "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders"])
    error_message = "payments's relay may send only to the queues of orders: those receiving its point-to-point types."
  }
}

# The service module's task policy, rendered by the real provider (offline)
# from the wiring the platform gives audit: jsondecode it and check every SQS
# statement but the point-to-point one names only audit's own queue or DLQ,
# and that one only the queues of the services receiving its commands or replies.
run "audit_task_policy_names_only_its_own_queue_and_dlq" {
  command   = plan
  providers = { aws = aws.offline }

  module {
    source = "../service"
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  variables {
    name    = "bazaar-test"
    service = run.platform_wiring.services["audit"]
    image   = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar-test/audit:3f2a9c1d0b7e"
    environment = {
      ENVIRONMENT     = "dev"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
    }
    database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/audit/database-url-Ab12Cd"
    migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/audit/migrations-database-url-Ef34Gh"
    database                           = { host = "bazaar-test-db.cluster-x.eu-west-1.rds.amazonaws.com", port = 5432, name = "audit", master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b-Ij56Kl" }
    cluster_arn                        = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-test"
    vpc_id                             = "vpc-0a1b2c3d4e5f60718"
    private_subnet_ids                 = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
    alb_security_group_id              = "sg-0a1b2c3d4e5f6a001"
    database_security_group_id         = "sg-0a1b2c3d4e5f6d002"
    target_group_arn                   = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-test-audit/0123456789abcdef"
    queue_arn                          = run.platform_wiring.service_inputs["audit"].queue_arn
    dlq_arn                            = run.platform_wiring.service_inputs["audit"].dlq_arn
    point_to_point_receivers           = run.platform_wiring.service_inputs["audit"].point_to_point_receivers
    bus_arn                            = "arn:aws:events:eu-west-1:111122223333:event-bus/bazaar-test"
  }

  assert {
    condition = alltrue(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : [
        for resource in flatten([statement.Resource]) : contains([var.queue_arn, var.dlq_arn], resource)
      ] if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ]))
    error_message = "An SQS statement of audit's task policy names a resource other than its own queue and DLQ."
  }

  assert {
    condition = length(setintersection(
      toset(flatten([for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource]) if try(statement.Sid, "") != "SendPointToPoint"])),
      toset(flatten([
        for svc, inputs in run.platform_wiring.service_inputs : [inputs.queue_arn, inputs.dlq_arn]
        if svc != "audit" && inputs.queue_arn != null
      ])),
    )) == 0
    error_message = "audit's task policy names another service's queue or DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if anytrue([for action in flatten([statement.Action]) : startswith(action, "sqs:")]) && try(statement.Sid, "") != "SendPointToPoint"
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-audit", "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-audit-dlq"])
    error_message = "audit consumes from its queue and reads its DLQ."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(data.aws_iam_policy_document.task.json).Statement : flatten([statement.Resource])
      if try(statement.Sid, "") == "SendPointToPoint"
    ])) == toset([])
    error_message = "audit's relay may send only to the queues of no one: those receiving its point-to-point types."
  }
}
