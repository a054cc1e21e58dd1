# terraform test: the cluster module against a mocked AWS provider.

mock_provider "aws" {
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

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }

  mock_resource "aws_ecs_cluster" {
    defaults = {
      arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/bazaar-test"
    }
  }
}

variables {
  name = "bazaar-test"
  tags = { Project = "bazaar" }
}

run "the_cluster_has_container_insights_on" {
  command = plan

  assert {
    condition     = aws_ecs_cluster.this.name == "bazaar-test"
    error_message = "The cluster is named after the prefix."
  }

  assert {
    condition = anytrue([
      for setting in aws_ecs_cluster.this.setting : setting.name == "containerInsights" && setting.value == "enabled"
    ])
    error_message = "Container Insights should be enabled."
  }
}

run "enhanced_container_insights_can_be_chosen" {
  command = plan

  variables {
    container_insights = "enhanced"
  }

  assert {
    condition = anytrue([
      for setting in aws_ecs_cluster.this.setting : setting.name == "containerInsights" && setting.value == "enhanced"
    ])
    error_message = "container_insights = \"enhanced\" should reach the cluster setting."
  }
}

run "both_fargate_capacity_providers_with_the_default_strategy" {
  command = plan

  variables {
    fargate_base        = 2
    fargate_weight      = 1
    fargate_spot_weight = 3
  }

  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"])
    error_message = "The cluster should have the FARGATE and FARGATE_SPOT capacity providers."
  }

  assert {
    condition     = aws_ecs_cluster_capacity_providers.this.cluster_name == "bazaar-test"
    error_message = "The capacity providers should be attached to the module's cluster."
  }

  assert {
    condition     = length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 2
    error_message = "The default strategy should name both capacity providers."
  }

  assert {
    condition = anytrue([
      for item in aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy :
      item.capacity_provider == "FARGATE" && item.base == 2 && item.weight == 1
    ])
    error_message = "FARGATE should take fargate_base and fargate_weight."
  }

  assert {
    condition = anytrue([
      for item in aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy :
      item.capacity_provider == "FARGATE_SPOT" && item.base == 0 && item.weight == 3
    ])
    error_message = "FARGATE_SPOT should take fargate_spot_weight and no base."
  }
}

run "ecs_exec_is_encrypted_and_logged_to_an_encrypted_log_group" {
  command = apply

  assert {
    condition     = aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].logging == "OVERRIDE"
    error_message = "ECS Exec logging should be OVERRIDE."
  }

  assert {
    condition     = aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].kms_key_id == aws_kms_key.exec[0].arn
    error_message = "ECS Exec sessions should be encrypted with the module's key."
  }

  assert {
    condition = (
      aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].log_configuration[0].cloud_watch_log_group_name == aws_cloudwatch_log_group.exec.name &&
      aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].log_configuration[0].cloud_watch_encryption_enabled
    )
    error_message = "ECS Exec sessions should be logged, encrypted, to the module's log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.exec.kms_key_id == aws_kms_key.exec[0].arn && aws_kms_key.exec[0].enable_key_rotation
    error_message = "The exec log group should be encrypted with the module's rotating key."
  }

  assert {
    condition     = aws_cloudwatch_log_group.exec.name == "/aws/ecs/bazaar-test/exec" && aws_cloudwatch_log_group.exec.retention_in_days == 365
    error_message = "The exec log group is named after the prefix and keeps a year by default."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_kms_key.exec[0].policy).Statement :
      try(statement.Principal.Service, "") == "logs.eu-west-1.amazonaws.com" &&
      try(statement.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"], "") == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ecs/bazaar-test/exec"
    ])
    error_message = "The key policy should let CloudWatch Logs use the key for the exec log group only."
  }

  assert {
    condition     = output.exec_kms_key_arn == aws_kms_key.exec[0].arn && output.exec_log_group_name == "/aws/ecs/bazaar-test/exec"
    error_message = "The exec key and log group should be outputs."
  }

  assert {
    condition     = output.cluster_arn == "arn:aws:ecs:eu-west-1:123456789012:cluster/bazaar-test" && output.cluster_name == "bazaar-test"
    error_message = "The cluster's ARN and name should be outputs."
  }
}

run "a_given_kms_key_and_retention_are_used" {
  command = plan

  variables {
    kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    exec_log_retention_days = 90
  }

  assert {
    condition     = length(aws_kms_key.exec) == 0 && output.exec_kms_key_arn == var.kms_key_arn
    error_message = "A given key should be used and none created."
  }

  assert {
    condition = (
      aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].kms_key_id == var.kms_key_arn &&
      aws_cloudwatch_log_group.exec.kms_key_id == var.kms_key_arn
    )
    error_message = "The given key should encrypt the sessions and the log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.exec.retention_in_days == 90
    error_message = "The given retention should be used."
  }
}

run "container_insights_off_is_refused" {
  command = plan

  variables {
    container_insights = "disabled"
  }

  expect_failures = [var.container_insights]
}

run "zero_weights_everywhere_are_refused" {
  command = plan

  variables {
    fargate_weight      = 0
    fargate_spot_weight = 0
  }

  expect_failures = [var.fargate_spot_weight]
}

run "a_negative_base_is_refused" {
  command = plan

  variables {
    fargate_base = -1
  }

  expect_failures = [var.fargate_base]
}

run "an_unknown_exec_log_retention_is_refused" {
  command = plan

  variables {
    exec_log_retention_days = 10
  }

  expect_failures = [var.exec_log_retention_days]
}
