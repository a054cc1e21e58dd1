# The ECS cluster every Bazaar service runs in: Fargate only, with Container
# Insights, and ECS Exec sessions encrypted and recorded (exec.tf).

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  configuration {
    execute_command_configuration {
      # Encrypts the session channel between the operator and the container.
      kms_key_id = local.kms_key_arn

      # OVERRIDE (not DEFAULT) so every session's input and output is recorded
      # in the cluster's encrypted log group, not wherever a task logs.
      logging = "OVERRIDE"

      log_configuration {
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
        cloud_watch_encryption_enabled = true
      }
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

# Services that set no capacity_provider_strategy of their own get this one:
# fargate_base tasks on on-demand FARGATE, the rest split by the weights.
resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = var.fargate_base
    weight            = var.fargate_weight
  }

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    base              = 0
    weight            = var.fargate_spot_weight
  }
}
