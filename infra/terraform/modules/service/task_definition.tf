locals {
  app_environment = merge(var.environment, length(var.point_to_point_receivers) == 0 ? {} : {
    # bazaar_common.messaging.relay_publisher: which types the relay also
    # sends straight to their receiver's queue.
    POINT_TO_POINT_RECEIVERS = jsonencode(var.point_to_point_receivers)
    }, {
    PORT            = tostring(var.service.port)
    AWS_REGION      = local.region
    RESOURCE_PREFIX = var.name
    # The sidecar's OTLP/HTTP receiver: same task, same network namespace.
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
    OTEL_SERVICE_NAME           = var.service.name
    # The app's role may not change the schema: the migrations container
    # below has run them, as the schema's owner, before the app starts.
    RUN_MIGRATIONS = "false"
  })

  log_options = {
    "awslogs-group"  = aws_cloudwatch_log_group.this.name
    "awslogs-region" = local.region
    # A slow CloudWatch must not block the app's stdout writes.
    "mode"            = "non-blocking"
    "max-buffer-size" = "25m"
  }

  app_container = {
    name                   = local.app_name
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    # The image's bazaar user (Dockerfile), spelled out so a changed image
    # cannot quietly run as root.
    user        = "10001:10001"
    stopTimeout = var.stop_timeout_seconds

    portMappings = [{
      name          = local.app_name
      containerPort = var.service.port
      hostPort      = var.service.port
      protocol      = "tcp"
      appProtocol   = "http"
    }]

    environment = [for key in sort(keys(local.app_environment)) : { name = key, value = local.app_environment[key] }]
    secrets     = [for key in sort(keys(local.secret_value_froms)) : { name = key, valueFrom = local.secret_value_froms[key] }]

    # The Dockerfile's HEALTHCHECK: /healthz (the process serves; readiness
    # with the database is /readyz, the ALB's check). urllib: no curl.
    healthCheck = {
      command     = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${var.service.port}/healthz', timeout=2)"]
      interval    = 10
      timeout     = 3
      startPeriod = 20
      retries     = 3
    }

    # Fargate has no tmpfs: an ephemeral bind mount keeps /tmp writable on a
    # read-only root.
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]

    linuxParameters = {
      # tini as PID 1 reaps ECS Exec's processes and forwards SIGTERM.
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }

    # The collector started first, so the first spans have somewhere to go;
    # START, not HEALTHY: a broken collector must not keep the app from
    # serving. The migrations must have succeeded: a failed migration
    # stops the task, and the deployment's circuit breaker rolls back.
    dependsOn = [
      { containerName = local.migrations_name, condition = "SUCCESS" },
      { containerName = local.adot_name, condition = "START" },
    ]

    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "app" })
    }
  }

  # The service's migrations, then exit: as the schema owner (its own
  # DATABASE_URL secret), under the migration advisory lock, so the tasks of
  # a deployment that start together migrate once.
  migrations_container = {
    name                   = local.migrations_name
    image                  = var.image
    essential              = false
    readonlyRootFilesystem = true
    user                   = "10001:10001"
    command                = ["python", "-m", "bazaar_common.db.migrate", "--package", var.service.package]
    environment            = [for key in sort(keys(local.migrations_environment)) : { name = key, value = local.migrations_environment[key] }]
    secrets                = [{ name = "DATABASE_URL", valueFrom = var.migrations_database_url_secret_arn }]
    linuxParameters        = { capabilities = { drop = ["ALL"] } }

    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "migrations" })
    }
  }

  migrations_environment = { AWS_REGION = local.region }

  # The collector reads its whole configuration from this variable
  # (the env: confmap provider), so no image or file has to carry it.
  adot_config_variable = "BAZAAR_ADOT_CONFIG"

  adot_container = {
    name                   = local.adot_name
    image                  = var.adot_image
    essential              = false
    readonlyRootFilesystem = true
    cpu                    = var.adot_cpu
    memory                 = var.adot_memory
    # The image's aoc user (uid 4317 in aws-otel-collector's Dockerfile),
    # spelled out as the app's is, so the task definition itself says non-root.
    user    = "4317:4317"
    command = ["--config=env:${local.adot_config_variable}"]
    environment = [
      { name = "AWS_REGION", value = local.region },
      { name = local.adot_config_variable, value = local.adot_config },
    ]

    healthCheck = {
      command     = ["CMD", "/healthcheck"]
      interval    = 10
      timeout     = 5
      startPeriod = 10
      retries     = 3
    }

    linuxParameters = { capabilities = { drop = ["ALL"] } }

    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "adot" })
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.service.cpu)
  memory                   = tostring(var.service.memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.app_container, local.migrations_container, local.adot_container])

  # The previous revision stays ACTIVE, so the circuit breaker can roll back
  # to it after Terraform has registered the next one.
  skip_destroy = true

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }

  tags = var.tags

  lifecycle {
    # ECS would take either; say which instead of guessing.
    precondition {
      condition     = length(setintersection(keys(var.environment), keys(var.secrets))) == 0
      error_message = "A variable is in both environment and secrets: ${jsonencode(setintersection(keys(var.environment), keys(var.secrets)))}."
    }

    precondition {
      condition     = var.adot_memory < var.service.memory && var.adot_cpu < var.service.cpu
      error_message = "adot_memory and adot_cpu must leave room for the app within service.memory and service.cpu."
    }
  }
}
