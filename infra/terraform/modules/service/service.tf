# The ECS service. Its desired count is set at creation and then left to
# Application Auto Scaling (between min_tasks and max_tasks), so an apply
# never resets a count the service scaled to. Without autoscaling (emulators
# only) the count stays what it was created with.

locals {
  desired_count = coalesce(var.desired_count, var.service.min_tasks)
}

resource "aws_ecs_service" "this" {
  name                              = local.full_name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = local.desired_count
  platform_version                  = var.platform_version
  enable_execute_command            = var.enable_execute_command
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  # Fargate spreads a service's tasks over the subnets' zones; this keeps
  # them spread after a zone's tasks were replaced.
  availability_zone_rebalancing = "ENABLED"

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

# Before: one resource with autoscaling, another without. Every environment
# on AWS ran the autoscaled one; it becomes this one in place.
moved {
  from = aws_ecs_service.autoscaled[0]
  to   = aws_ecs_service.this
}

locals {
  ecs_service = aws_ecs_service.this
}
