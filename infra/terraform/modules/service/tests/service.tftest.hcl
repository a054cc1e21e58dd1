# terraform test: one consuming, publishing service (orders-like), then the
# variations: no autoscaling, no queue, ECS Exec, and refused inputs.

mock_provider "aws" {
  # Roles and role policies refuse a random string as their JSON. The tests
  # assert on the documents' statement blocks instead, which the mock keeps.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }

  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/bazaar-test/orders" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/bazaar-test-orders-mock" }
  }
}

variables {
  name = "bazaar-test"
  service = {
    name      = "orders"
    package   = "bazaar_orders"
    port      = 8002
    cpu       = 256
    memory    = 512
    min_tasks = 1
    max_tasks = 4
    publishes = ["OrderPlaced", "ReserveStock"]
    # An attribute of the catalog the module does not declare is dropped.
    path_patterns = ["/orders", "/orders/*"]
  }
  image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar/orders:1.4.2"
  environment = {
    ENVIRONMENT     = "dev"
    AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
    AUTH_CLIENT_IDS = "4example7clientid"
    INVENTORY_URL   = "http://inventory.bazaar-test.internal:8001"
  }
  secrets = {
    PAYMENTS_WEBHOOK_TOKEN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/webhook-Xy12Zw:token::"
  }
  database_url_secret_arn            = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/database-url-Ab12Cd"
  migrations_database_url_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/migrations-database-url-Ef34Gh"
  database = {
    host              = "bazaar-test-db.cluster-abc.eu-west-1.rds.amazonaws.com"
    port              = 5432
    name              = "orders"
    master_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0a1b2c3d-Ij56Kl"
  }
  secrets_kms_key_arns       = ["arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"]
  kms_key_arns               = ["arn:aws:kms:eu-west-1:111122223333:key/66666666-7777-8888-9999-000000000000"]
  cluster_arn                = "arn:aws:ecs:eu-west-1:111122223333:cluster/bazaar-test"
  vpc_id                     = "vpc-0a1b2c3d4e5f60718"
  private_subnet_ids         = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  alb_security_group_id      = "sg-0a1b2c3d4e5f6a001"
  database_security_group_id = "sg-0a1b2c3d4e5f6d002"
  target_group_arn           = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/bazaar-test-orders/0123456789abcdef"
  service_discovery_arn      = "arn:aws:servicediscovery:eu-west-1:111122223333:service/srv-abcdefghijklmnop"
  queue_arn                  = "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders"
  dlq_arn                    = "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-orders-dlq"
  bus_arn                    = "arn:aws:events:eu-west-1:111122223333:event-bus/bazaar-test"
}

run "task_role_touches_only_its_queue_its_dlq_and_the_bus" {
  command = apply

  # Every SQS action is on the service's own queue or DLQ.
  assert {
    condition = alltrue(flatten([
      for s in data.aws_iam_policy_document.task.statement : [
        for r in s.resources : contains([var.queue_arn, var.dlq_arn], r)
      ] if anytrue([for a in s.actions : startswith(a, "sqs:")])
    ]))
    error_message = "An SQS statement names a resource other than the service's queue and DLQ."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.task.statement : s if s.sid == "ConsumeOwnQueue"
      ]).resources == toset([var.queue_arn]) && length(setsubtract(
      ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "ConsumeOwnQueue"]).actions,
    )) == 0
    error_message = "The consumer needs Receive/Delete/ChangeMessageVisibility/GetQueueAttributes on its queue only."
  }

  # Redrive: receive/release/delete on the DLQ, send back to the queue, and
  # never a send to the DLQ (SQS moves dead letters there itself).
  assert {
    condition = one([
      for s in data.aws_iam_policy_document.task.statement : s if s.sid == "RedriveFromOwnDlq"
    ]).resources == toset([var.dlq_arn])
    error_message = "Redrive's receive/delete must be on the DLQ only."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.task.statement : s
      if contains(s.actions, "sqs:SendMessage") && contains(s.resources, var.dlq_arn)
    ]) == 0
    error_message = "Nothing may send to the DLQ."
  }

  assert {
    condition = [
      for s in data.aws_iam_policy_document.task.statement : s.resources if contains(s.actions, "events:PutEvents")
    ] == [toset([var.bus_arn])]
    error_message = "PutEvents must be granted exactly once, on the bus only."
  }

  # "*" only where AWS has no resource-level permissions: X-Ray.
  assert {
    condition = toset([
      for s in data.aws_iam_policy_document.task.statement : s.sid if contains(s.resources, "*")
    ]) == toset(["AdotTraces"])
    error_message = "Only the X-Ray statement may use \"*\"."
  }

  # Metrics leave as EMF lines in the service's own metrics log group.
  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "AdotEmfLogs"]).resources == toset([
      "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/bazaar-test/orders/metrics",
      "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/bazaar-test/orders/metrics:log-stream:*",
    ])
    error_message = "The collector writes only to the service's metrics log group."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.task.statement : s if contains(s.actions, "cloudwatch:PutMetricData") || contains(s.actions, "logs:CreateLogGroup")]) == 0
    error_message = "No PutMetricData and no CreateLogGroup: the metrics log group is Terraform's."
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.task.statement : s if startswith(tolist(s.actions)[0], "ssmmessages:")]) == 0
    error_message = "No ECS Exec permissions unless enable_execute_command."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "UseMessagingKeys"]).resources == toset(var.kms_key_arns)
    error_message = "The task may use only the given messaging keys."
  }

  assert {
    condition = contains(flatten([
      for s in data.aws_iam_policy_document.task_assume.statement : [for c in s.condition : c.variable]
    ]), "aws:SourceAccount")
    error_message = "The task role's trust must be limited to this account's tasks."
  }

  assert {
    condition     = length(aws_iam_role_policy.extra) == 0
    error_message = "No further inline policy without task_role_policies."
  }
}

run "a_point_to_point_sender_may_send_only_to_its_receivers_queues" {
  command = apply

  variables {
    point_to_point_receivers = { ReserveStock = "inventory" }
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.task.statement : s if s.sid == "SendPointToPoint"
    ]).resources == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-inventory"])
    error_message = "The relay may send only to the queue of the service receiving its point-to-point types."
  }

  assert {
    condition = one([
      for s in data.aws_iam_policy_document.task.statement : s if s.sid == "SendPointToPoint"
    ]).actions == toset(["sqs:GetQueueUrl", "sqs:SendMessage"])
    error_message = "The relay looks the queue up once and sends to it: nothing else."
  }

  assert {
    condition = toset(flatten([
      for s in data.aws_iam_policy_document.task.statement : s.resources if contains(s.actions, "sqs:SendMessage")
    ])) == toset(["arn:aws:sqs:eu-west-1:111122223333:bazaar-test-inventory", var.queue_arn])
    error_message = "SendMessage goes to the receiver's queue (point to point) and the service's own queue (redrive) only."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name => e.value
    }.POINT_TO_POINT_RECEIVERS == jsonencode({ ReserveStock = "inventory" })
    error_message = "The task gets its point-to-point routes as POINT_TO_POINT_RECEIVERS."
  }
}

run "a_point_to_point_route_for_a_type_the_service_does_not_publish_is_refused" {
  command = plan

  variables {
    point_to_point_receivers = { CapturePayment = "payments" }
  }

  expect_failures = [var.point_to_point_receivers]
}

run "execution_role_reads_only_the_given_secrets" {
  command = apply

  # A JSON-key reference (":token::") is granted on its secret, not on the
  # reference string IAM would never match.
  assert {
    condition = one([for s in data.aws_iam_policy_document.execution.statement : s if s.sid == "ReadOwnSecrets"]).resources == toset([
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/database-url-Ab12Cd",
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/migrations-database-url-Ef34Gh",
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bazaar-test/orders/webhook-Xy12Zw",
    ])
    error_message = "The execution role must read exactly the two DATABASE_URL secrets and the given secrets."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.execution.statement : s if contains(s.actions, "secretsmanager:GetSecretValue")
    ]) == 1
    error_message = "GetSecretValue must appear in one statement only."
  }

  assert {
    condition = [
      for c in one([for s in data.aws_iam_policy_document.execution.statement : s if s.sid == "DecryptSecretsViaSecretsManager"]).condition :
      "${c.test} ${c.variable} ${join(",", c.values)}"
    ] == ["StringEquals kms:ViaService secretsmanager.eu-west-1.amazonaws.com"]
    error_message = "The secrets keys may be used through Secrets Manager only."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.execution.statement : s if s.sid == "EcrPullAppImage"]).resources == toset(["arn:aws:ecr:eu-west-1:111122223333:repository/bazaar/orders"])
    error_message = "Image pull rights must be on the image's own repository."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.execution.statement : s if s.sid == "WriteOwnLogGroup"]).resources == toset(["arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/bazaar-test/orders:log-stream:*"])
    error_message = "The execution role writes only its own log group."
  }

  # "*" only for ecr:GetAuthorizationToken (no resource-level permission).
  assert {
    condition = [
      for s in data.aws_iam_policy_document.execution.statement : s.actions if contains(s.resources, "*")
    ] == [toset(["ecr:GetAuthorizationToken"])]
    error_message = "Only ecr:GetAuthorizationToken may be on \"*\"."
  }
}

run "container_definitions_are_hardened_and_carry_the_adot_sidecar" {
  command = plan

  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.this.container_definitions) : c.name] == ["orders", "migrations", "aws-otel-collector"]
    error_message = "The task holds the app, its migrations and the collector."
  }

  assert {
    condition = alltrue([
      for c in jsondecode(aws_ecs_task_definition.this.container_definitions) : c.readonlyRootFilesystem == true
    ])
    error_message = "Every container has a read-only root filesystem."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].name == "orders" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].user == "10001:10001" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].stopTimeout == 30 &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].essential == true &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].image == var.image
    )
    error_message = "The app runs as 10001:10001, essential, with the 30 s stop timeout and the given image."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].name == "aws-otel-collector" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].essential == false &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].image == "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].command == ["--config=env:BAZAAR_ADOT_CONFIG"] &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].user == "4317:4317" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[2].logConfiguration.logDriver == "awslogs"
    )
    error_message = "The ADOT sidecar is non-essential, pinned, non-root, configured from its environment, logging to CloudWatch."
  }

  # The metric contract modules/observability's alarms read.
  assert {
    condition = (
      yamldecode(one([for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[2].environment : e.value if e.name == "BAZAAR_ADOT_CONFIG"])).exporters.awsemf.namespace == "Bazaar/bazaar-test" &&
      yamldecode(one([for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[2].environment : e.value if e.name == "BAZAAR_ADOT_CONFIG"])).exporters.awsemf.log_group_name == "/ecs/bazaar-test/orders/metrics" &&
      yamldecode(one([for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[2].environment : e.value if e.name == "BAZAAR_ADOT_CONFIG"])).exporters.awsemf.dimension_rollup_option == "NoDimensionRollup"
    )
    error_message = "The collector exports EMF to Bazaar/<name> through the service's metrics log group, with no rolled-up dimensions."
  }

  assert {
    condition     = aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "X86_64"
    error_message = "X86_64 unless cpu_architecture says ARM64."
  }

  assert {
    condition = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].dependsOn == [
      { containerName = "migrations", condition = "SUCCESS" },
      { containerName = "aws-otel-collector", condition = "START" },
    ]
    error_message = "The app starts once its migrations succeeded and the collector has started."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.this.container_definitions)[1].essential == false &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[1].image == var.image &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[1].user == "10001:10001" &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[1].command == ["python", "-m", "bazaar_common.db.migrate", "--package", "bazaar_orders"] &&
      jsondecode(aws_ecs_task_definition.this.container_definitions)[1].secrets == [{ name = "DATABASE_URL", valueFrom = var.migrations_database_url_secret_arn }]
    )
    error_message = "The migrations run from the app's image as the schema owner (its own DATABASE_URL), then exit."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].environment : e.name => e.value
      } == {
      ENVIRONMENT                 = "dev"
      AUTH_ISSUER                 = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS             = "4example7clientid"
      INVENTORY_URL               = "http://inventory.bazaar-test.internal:8001"
      PORT                        = "8002"
      AWS_REGION                  = "eu-west-1"
      RESOURCE_PREFIX             = "bazaar-test"
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
      OTEL_SERVICE_NAME           = "orders"
      RUN_MIGRATIONS              = "false"
    }
    error_message = "The app's environment is the given one plus PORT, AWS_REGION, RESOURCE_PREFIX, the OTLP settings and RUN_MIGRATIONS=false."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets : e.name => e.valueFrom
      } == {
      DATABASE_URL           = var.database_url_secret_arn
      PAYMENTS_WEBHOOK_TOKEN = var.secrets.PAYMENTS_WEBHOOK_TOKEN
    }
    error_message = "DATABASE_URL and the given secrets come from Secrets Manager, never as plain values."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.this.container_definitions)[0].mountPoints == [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }] &&
      one(aws_ecs_task_definition.this.volume).name == "tmp"
    )
    error_message = "A read-only root still has a writable /tmp from the ephemeral volume."
  }

  assert {
    condition     = strcontains(jsondecode(aws_ecs_task_definition.this.container_definitions)[0].healthCheck.command[3], "http://127.0.0.1:8002/healthz")
    error_message = "The container health check asks /healthz on the service's port."
  }

  assert {
    condition = (
      aws_ecs_task_definition.this.requires_compatibilities == toset(["FARGATE"]) &&
      aws_ecs_task_definition.this.network_mode == "awsvpc" &&
      aws_ecs_task_definition.this.cpu == "256" && aws_ecs_task_definition.this.memory == "512" &&
      aws_ecs_task_definition.this.runtime_platform[0].operating_system_family == "LINUX" &&
      aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "X86_64"
    )
    error_message = "A Fargate awsvpc task sized from the catalog, Linux x86_64."
  }
}

run "service_rolls_back_a_failed_deployment_and_stays_private" {
  command = plan

  assert {
    condition     = aws_ecs_service.this.desired_count == 1
    error_message = "The service starts at the catalog's min_tasks (later counts belong to autoscaling)."
  }

  assert {
    condition = (
      aws_ecs_service.this.deployment_circuit_breaker[0].enable == true &&
      aws_ecs_service.this.deployment_circuit_breaker[0].rollback == true
    )
    error_message = "The deployment circuit breaker is on, with rollback."
  }

  assert {
    condition = (
      aws_ecs_service.this.deployment_minimum_healthy_percent == 100 &&
      aws_ecs_service.this.deployment_maximum_percent == 200
    )
    error_message = "Deployments keep full capacity (100/200)."
  }

  assert {
    condition = (
      aws_ecs_service.this.network_configuration[0].assign_public_ip == false &&
      aws_ecs_service.this.network_configuration[0].subnets == toset(var.private_subnet_ids)
    )
    error_message = "Tasks run in the private subnets without a public IP."
  }

  assert {
    condition = (
      one(aws_ecs_service.this.load_balancer).target_group_arn == var.target_group_arn &&
      one(aws_ecs_service.this.load_balancer).container_name == "orders" &&
      one(aws_ecs_service.this.load_balancer).container_port == 8002 &&
      one(aws_ecs_service.this.service_registries).registry_arn == var.service_discovery_arn
    )
    error_message = "The app container's port is behind the target group and registered in Cloud Map."
  }

  assert {
    condition = (
      aws_ecs_service.this.name == "bazaar-test-orders" &&
      aws_ecs_service.this.platform_version == "LATEST" &&
      aws_ecs_service.this.propagate_tags == "SERVICE" &&
      aws_ecs_service.this.enable_ecs_managed_tags == true &&
      aws_ecs_service.this.enable_execute_command == false &&
      one(aws_ecs_service.this.capacity_provider_strategy).capacity_provider == "FARGATE"
    )
    error_message = "Name, platform version, tag propagation, ECS Exec off and the FARGATE strategy."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/ecs/bazaar-test/orders" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "The log group is named after the service and keeps a year by default."
  }
}

run "security_group_admits_only_the_alb_and_reaches_only_https_and_the_database" {
  command = plan

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.alb.referenced_security_group_id == var.alb_security_group_id &&
      aws_vpc_security_group_ingress_rule.alb.from_port == 8002 && aws_vpc_security_group_ingress_rule.alb.to_port == 8002 &&
      length(aws_vpc_security_group_ingress_rule.extra) == 0
    )
    error_message = "The task port is open to the ALB's security group only."
  }

  assert {
    condition = (
      length(aws_vpc_security_group_egress_rule.https) == 1 &&
      aws_vpc_security_group_egress_rule.https[0].from_port == 443 && aws_vpc_security_group_egress_rule.https[0].to_port == 443 &&
      aws_vpc_security_group_egress_rule.database.referenced_security_group_id == var.database_security_group_id &&
      aws_vpc_security_group_egress_rule.database.from_port == 5432
    )
    error_message = "Egress is HTTPS and PostgreSQL to the database's security group."
  }
}

run "autoscaling_tracks_cpu_and_the_queue_backlog_per_task" {
  command = plan

  assert {
    condition = (
      aws_appautoscaling_target.this[0].min_capacity == 1 &&
      aws_appautoscaling_target.this[0].max_capacity == 4 &&
      aws_appautoscaling_target.this[0].resource_id == "service/bazaar-test/bazaar-test-orders"
    )
    error_message = "The scalable target spans the catalog's min_tasks..max_tasks of this service."
  }

  assert {
    condition     = aws_appautoscaling_policy.cpu[0].target_tracking_scaling_policy_configuration[0].target_value == 60
    error_message = "CPU target tracking at 60 % by default."
  }

  assert {
    condition = (
      aws_appautoscaling_policy.queue_backlog[0].target_tracking_scaling_policy_configuration[0].target_value == 100 &&
      [
        for m in aws_appautoscaling_policy.queue_backlog[0].target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics :
        m.expression if m.return_data
      ] == ["visible / tasks"]
    )
    error_message = "The backlog policy tracks visible messages / running tasks at 100."
  }

  assert {
    condition = contains(flatten([
      for m in aws_appautoscaling_policy.queue_backlog[0].target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metrics : [
        for s in m.metric_stat : [for d in s.metric[0].dimensions : d.value] if s.metric[0].metric_name == "ApproximateNumberOfMessagesVisible"
      ]
    ]), "bazaar-test-orders")
    error_message = "The backlog's numerator is the service's own queue."
  }
}

run "no_autoscaling_resources_when_autoscaling_is_off" {
  command = plan

  variables {
    enable_autoscaling = false
    desired_count      = 2
  }

  assert {
    condition = (
      length(aws_appautoscaling_target.this) == 0 &&
      length(aws_appautoscaling_policy.cpu) == 0 &&
      length(aws_appautoscaling_policy.queue_backlog) == 0
    )
    error_message = "No Application Auto Scaling resources (moto has none) when enable_autoscaling is false."
  }

  assert {
    # The service exists (an earlier run applied it at 1): its count is left
    # alone, so switching autoscaling never replaces or resizes a service.
    condition     = aws_ecs_service.this.desired_count == 1
    error_message = "An existing service keeps its count; desired_count only sets a new service's."
  }
}

run "a_service_without_queue_or_events_gets_no_messaging_rights_nor_backlog_policy" {
  command = apply

  variables {
    service = {
      name      = "catalogue"
      package   = "bazaar_catalogue"
      port      = 8010
      cpu       = 512
      memory    = 1024
      min_tasks = 2
      max_tasks = 6
    }
    queue_arn    = null
    dlq_arn      = null
    kms_key_arns = []
  }

  assert {
    condition     = length(aws_appautoscaling_policy.queue_backlog) == 0 && length(aws_appautoscaling_policy.cpu) == 1
    error_message = "No backlog policy without a queue; CPU tracking stays."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.task.statement : s
      if anytrue([for a in s.actions : startswith(a, "sqs:") || startswith(a, "events:") || startswith(a, "kms:")])
    ]) == 0
    error_message = "A service that consumes and publishes nothing gets no SQS, EventBridge or KMS rights."
  }
}

run "ecs_exec_adds_only_its_channels_session_log_and_key" {
  command = apply

  variables {
    enable_execute_command = true
    allow_dlq_redrive      = false
    exec_log_group_arn     = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/ecs/bazaar-test/exec"
    exec_kms_key_arn       = "arn:aws:kms:eu-west-1:111122223333:key/abababab-1111-2222-3333-444455556666"
  }

  assert {
    condition     = aws_ecs_service.this.enable_execute_command == true
    error_message = "The service enables ECS Exec."
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "EcsExec"]).actions == toset([
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ])
    error_message = "ECS Exec needs the four ssmmessages channel actions."
  }

  assert {
    condition = (
      one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "EcsExecSessionLogs"]).resources == toset([
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/ecs/bazaar-test/exec",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/ecs/bazaar-test/exec:log-stream:*",
      ]) &&
      one([for s in data.aws_iam_policy_document.task.statement : s if s.sid == "EcsExecSessionKey"]).resources == toset([var.exec_kms_key_arn])
    )
    error_message = "Exec sessions are logged to the cluster's exec log group and decrypted with its key only."
  }

  assert {
    condition = toset([
      for s in data.aws_iam_policy_document.task.statement : s.sid if contains(s.resources, "*")
    ]) == toset(["AdotTraces", "EcsExec", "EcsExecDescribeLogGroups"])
    error_message = "With ECS Exec, \"*\" is added only for ssmmessages and logs:DescribeLogGroups."
  }

  assert {
    condition = length([
      for s in data.aws_iam_policy_document.task.statement : s
      if contains(s.actions, "sqs:SendMessage") || s.sid == "RedriveFromOwnDlq"
    ]) == 0
    error_message = "allow_dlq_redrive = false leaves the DLQ read-only and nothing may send."
  }
}

run "task_role_policies_become_inline_policies_of_the_task_role_alone" {
  command = apply

  variables {
    task_role_policies = {
      event-archive = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::bazaar-test-event-archive-111122223333/events/*" }]
      })
    }
  }

  assert {
    condition = {
      for key, policy in aws_iam_role_policy.extra : key => { name = policy.name, role = policy.role, policy = policy.policy }
      } == {
      event-archive = { name = "bazaar-test-orders-event-archive", role = aws_iam_role.task.id, policy = var.task_role_policies["event-archive"] }
    }
    error_message = "Each task_role_policies entry is an inline policy <name>-<service>-<key> of the task role, as given."
  }

  assert {
    condition     = aws_iam_role_policy.task.policy == data.aws_iam_policy_document.task.json
    error_message = "The module's own task policy is left as it is."
  }
}

run "a_task_role_policy_that_is_not_a_policy_document_is_refused" {
  command = plan

  variables {
    task_role_policies = { event-archive = "s3:*" }
  }

  expect_failures = [var.task_role_policies]
}

run "a_task_role_policy_key_that_cannot_name_a_policy_is_refused" {
  command = plan

  variables {
    task_role_policies = { "Event Archive" = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }

  expect_failures = [var.task_role_policies]
}

run "latest_image_is_refused" {
  command = plan

  variables {
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar/orders:latest"
  }

  expect_failures = [var.image]
}

run "untagged_image_is_refused" {
  command = plan

  variables {
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar/orders"
  }

  expect_failures = [var.image]
}

run "stop_timeout_above_fargate_maximum_is_refused" {
  command = plan

  variables {
    stop_timeout_seconds = 121
  }

  expect_failures = [var.stop_timeout_seconds]
}

run "stop_timeout_shorter_than_the_apps_shutdown_is_refused" {
  command = plan

  variables {
    stop_timeout_seconds = 20
  }

  expect_failures = [var.stop_timeout_seconds]
}

run "a_queue_the_service_would_not_find_is_refused" {
  command = plan

  variables {
    queue_arn = "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-payments"
  }

  expect_failures = [var.queue_arn]
}

run "a_dlq_without_a_queue_is_refused" {
  command = plan

  variables {
    queue_arn = null
  }

  expect_failures = [var.dlq_arn]
}

run "an_environment_overriding_module_variables_or_missing_auth_is_refused" {
  command = plan

  variables {
    environment = {
      ENVIRONMENT = "dev"
      PORT        = "9999"
    }
  }

  expect_failures = [var.environment]
}

run "a_task_not_told_its_environment_is_refused" {
  command = plan

  variables {
    environment = {
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
      INVENTORY_URL   = "http://inventory.bazaar-test.internal:8001"
    }
  }

  expect_failures = [var.environment]
}

run "an_environment_the_service_does_not_know_is_refused" {
  command = plan

  variables {
    environment = {
      ENVIRONMENT     = "production"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
      INVENTORY_URL   = "http://inventory.bazaar-test.internal:8001"
    }
  }

  expect_failures = [var.environment]
}

run "an_environment_that_skips_the_checks_is_refused_on_aws" {
  command = plan

  variables {
    environment = {
      ENVIRONMENT     = "local"
      AUTH_ISSUER     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      AUTH_CLIENT_IDS = "4example7clientid"
      INVENTORY_URL   = "http://inventory.bazaar-test.internal:8001"
    }
  }

  expect_failures = [var.environment]
}

run "a_secret_that_is_not_a_secrets_manager_arn_is_refused" {
  command = plan

  variables {
    secrets = { AUTH_CLIENT_SECRET = "arn:aws:ssm:eu-west-1:111122223333:parameter/bazaar/secret" }
  }

  expect_failures = [var.secrets]
}

run "an_unknown_capacity_provider_is_refused" {
  command = plan

  variables {
    capacity_provider_strategy = [{ capacity_provider = "EC2", weight = 1 }]
  }

  expect_failures = [var.capacity_provider_strategy]
}

run "the_database_bootstrap_task_may_read_the_master_and_write_only_its_own_secrets" {
  command = apply

  variables {
    permissions_boundary_arn = "arn:aws:iam::111122223333:policy/bazaar-test-workload-boundary"
  }

  assert {
    condition = (
      aws_ecs_task_definition.bootstrap.family == "bazaar-test-orders-database" &&
      output.database_task_definition_family == "bazaar-test-orders-database" &&
      length(jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)) == 1
    )
    error_message = "One task definition <name>-<service>-database, one container."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].image == var.image &&
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].command == ["python", "-m", "bazaar_common.db.bootstrap"] &&
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].readonlyRootFilesystem == true &&
      jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].user == "10001:10001" &&
      !can(jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].secrets)
    )
    error_message = "The service's own image, its own command, hardened; no secret injected (the task reads them itself)."
  }

  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.bootstrap.container_definitions)[0].environment : e.name => e.value
      } == {
      DATABASE_HOST     = var.database.host
      DATABASE_PORT     = "5432"
      DATABASE_NAME     = "orders"
      DATABASE_SSL      = "require"
      MASTER_SECRET_ARN = var.database.master_secret_arn
      OWNER_SECRET_ARN  = var.migrations_database_url_secret_arn
      APP_SECRET_ARN    = var.database_url_secret_arn
      AWS_REGION        = "eu-west-1"
    }
    error_message = "The bootstrap is told where the database is and which secrets to keep, nothing secret."
  }

  assert {
    condition = {
      for s in data.aws_iam_policy_document.bootstrap.statement : s.sid => { actions = s.actions, resources = s.resources }
      if s.sid != "SecretsKeyViaSecretsManager"
      } == {
      ReadMasterLogin     = { actions = toset(["secretsmanager:GetSecretValue"]), resources = toset([var.database.master_secret_arn]) }
      KeepOwnDatabaseUrls = { actions = toset(["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]), resources = toset([var.database_url_secret_arn, var.migrations_database_url_secret_arn]) }
    }
    error_message = "The bootstrap role reads the master secret and keeps its own two secrets, nothing else."
  }

  assert {
    condition = alltrue([
      aws_iam_role.bootstrap.permissions_boundary == var.permissions_boundary_arn,
      aws_iam_role.task.permissions_boundary == var.permissions_boundary_arn,
      aws_iam_role.execution.permissions_boundary == var.permissions_boundary_arn,
    ])
    error_message = "Every role the module makes carries the workload boundary."
  }

  assert {
    condition     = contains(one([for s in data.aws_iam_policy_document.execution.statement : s.resources if s.sid == "ReadOwnSecrets"]), var.migrations_database_url_secret_arn)
    error_message = "The execution role reads the migrations' secret too (it injects it into the migrations container)."
  }
}

run "graviton_and_a_metrics_namespace_are_variables" {
  command = plan

  variables {
    cpu_architecture  = "ARM64"
    metrics_namespace = "Bazaar/elsewhere"
  }

  assert {
    condition     = aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "ARM64"
    error_message = "cpu_architecture sets the tasks' architecture."
  }

  assert {
    condition     = yamldecode(one([for e in jsondecode(aws_ecs_task_definition.this.container_definitions)[2].environment : e.value if e.name == "BAZAAR_ADOT_CONFIG"])).exporters.awsemf.namespace == "Bazaar/elsewhere"
    error_message = "metrics_namespace is the collector's namespace."
  }
}

run "an_unknown_architecture_is_refused" {
  command = plan

  variables {
    cpu_architecture = "amd64"
  }

  expect_failures = [var.cpu_architecture]
}
