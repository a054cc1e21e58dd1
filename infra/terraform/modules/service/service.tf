# Two resources for one service because `lifecycle` cannot be conditional:
# with autoscaling, desired_count belongs to Application Auto Scaling and
# Terraform must not reset it on every apply. Switching enable_autoscaling
# replaces the service.

locals {
  desired_count = coalesce(var.desired_count, var.service.min_tasks)
}

resource "aws_ecs_service" "autoscaled" {
  count = var.enable_autoscaling ? 1 : 0

  name                              = local.full_name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = local.desired_count
  platform_version                  = var.platform_version
  enable_execute_command            = var.enable_execute_command
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  availability_zone_rebalancing     = "ENABLED"

  # Full capacity throughout a deployment: the new tasks come up beside the
  # old ones, and a deployment that never gets healthy rolls back.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.app_name
    container_port   = var.service.port
  }

  dynamic "service_registries" {
    for_each = var.service_discovery_arn == null ? [] : [var.service_discovery_arn]

    content {
      registry_arn = service_registries.value
    }
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_ecs_service" "fixed" {
  count = var.enable_autoscaling ? 0 : 1

  name                              = local.full_name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = local.desired_count
  platform_version                  = var.platform_version
  enable_execute_command            = var.enable_execute_command
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  availability_zone_rebalancing     = "ENABLED"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.app_name
    container_port   = var.service.port
  }

  dynamic "service_registries" {
    for_each = var.service_discovery_arn == null ? [] : [var.service_discovery_arn]

    content {
      registry_arn = service_registries.value
    }
  }

  tags = var.tags
}

locals {
  ecs_service = one(concat(aws_ecs_service.autoscaled, aws_ecs_service.fixed))
}
