# terraform test: the database module against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
      key_id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/bazaar-test-db-monitoring"
    }
  }

  mock_resource "aws_rds_cluster" {
    defaults = {
      arn                 = "arn:aws:rds:eu-west-1:123456789012:cluster:bazaar-test-db"
      cluster_resource_id = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY"
      endpoint            = "bazaar-test-db.cluster-c0abcdefghij.eu-west-1.rds.amazonaws.com"
      reader_endpoint     = "bazaar-test-db.cluster-ro-c0abcdefghij.eu-west-1.rds.amazonaws.com"
      master_user_secret = [{
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf"
        secret_status = "active"
      }]
    }
  }
}

variables {
  name               = "bazaar-test"
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]

  allowed_security_group_ids = ["sg-0123456789abcdef0", "sg-0123456789abcdef1"]

  services = {
    orders = { database = "orders" }
    audit  = { database = "audit" }
    stock  = { database = "inventory" }
  }
}

run "cluster_is_aurora_postgresql_serverless_v2" {
  command = plan

  assert {
    condition = (
      aws_rds_cluster.this.engine == "aurora-postgresql" &&
      aws_rds_cluster.this.engine_mode == "provisioned" &&
      aws_rds_cluster.this.engine_version == "16.6"
    )
    error_message = "Aurora PostgreSQL 16.6, provisioned mode (Serverless v2)."
  }

  assert {
    condition = (
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0.5 &&
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 4
    )
    error_message = "Scaling defaults to 0.5-4 ACUs."
  }

  assert {
    condition     = length(aws_rds_cluster_instance.this) == 1 && aws_rds_cluster_instance.this[0].instance_class == "db.serverless"
    error_message = "One db.serverless writer by default."
  }

  assert {
    condition     = aws_rds_cluster_instance.this[0].publicly_accessible == false
    error_message = "Instances are never public."
  }

  assert {
    condition     = aws_rds_cluster_parameter_group.this.family == "aurora-postgresql16"
    error_message = "The parameter group family follows the major version."
  }
}

run "scaling_and_instances_follow_inputs" {
  command = plan

  variables {
    min_capacity   = 2
    max_capacity   = 16
    instance_count = 3
  }

  assert {
    condition = (
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 2 &&
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 16
    )
    error_message = "min/max ACUs are passed through."
  }

  assert {
    condition     = length(aws_rds_cluster_instance.this) == 3 && alltrue([for i in aws_rds_cluster_instance.this : i.instance_class == "db.serverless"])
    error_message = "instance_count instances, all db.serverless."
  }
}

run "everything_is_encrypted_with_the_module_key" {
  command = apply

  assert {
    condition     = aws_rds_cluster.this.storage_encrypted == true && aws_rds_cluster.this.kms_key_id == aws_kms_key.this.arn
    error_message = "Storage is encrypted with the module's key."
  }

  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password == true && aws_rds_cluster.this.master_user_secret_kms_key_id == aws_kms_key.this.arn
    error_message = "RDS manages the master password in Secrets Manager, encrypted with the module's key."
  }

  assert {
    condition     = aws_rds_cluster.this.master_password == null
    error_message = "No master password is written in the configuration."
  }

  assert {
    condition = alltrue([
      for i in aws_rds_cluster_instance.this : i.performance_insights_enabled && i.performance_insights_kms_key_id == aws_kms_key.this.arn
    ])
    error_message = "Performance Insights is on and encrypted with the module's key."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true
    error_message = "The key rotates."
  }

  assert {
    condition     = aws_cloudwatch_log_group.postgresql.name == "/aws/rds/cluster/bazaar-test-db/postgresql" && aws_cloudwatch_log_group.postgresql.kms_key_id == aws_kms_key.this.arn
    error_message = "The exported log group is the one RDS writes to, encrypted with the module's key."
  }

  assert {
    condition     = alltrue([for s in aws_secretsmanager_secret.service : s.kms_key_id == aws_kms_key.this.arn])
    error_message = "The per-service secrets are encrypted with the module's key."
  }

  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf"
    error_message = "master_user_secret_arn is the RDS-managed secret."
  }

  assert {
    condition     = output.cluster_resource_id == "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY" && output.kms_key_arn == aws_kms_key.this.arn && output.port == 5432
    error_message = "cluster_resource_id, kms_key_arn and port are exported."
  }
}

run "iam_auth_tls_and_logging_are_on" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.iam_database_authentication_enabled == true
    error_message = "IAM database authentication is on."
  }

  assert {
    condition     = aws_rds_cluster.this.enabled_cloudwatch_logs_exports == toset(["postgresql"])
    error_message = "PostgreSQL logs are exported to CloudWatch."
  }

  assert {
    condition     = contains([for p in aws_rds_cluster_parameter_group.this.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "rds.force_ssl = 1: connections without TLS are refused."
  }

  assert {
    condition = length(setintersection(
      toset([for p in aws_rds_cluster_parameter_group.this.parameter : p.name]),
      toset(["log_connections", "log_disconnections", "log_statement", "log_min_duration_statement", "log_lock_waits"])
    )) == 5
    error_message = "Connection, DDL, slow-statement and lock-wait logging are set."
  }

  assert {
    condition     = aws_rds_cluster.this.copy_tags_to_snapshot == true && aws_rds_cluster.this.backup_retention_period == 7
    error_message = "Tags are copied to snapshots; backups kept 7 days by default."
  }

  assert {
    condition     = aws_rds_cluster.this.preferred_backup_window == "02:00-03:00" && aws_rds_cluster.this.preferred_maintenance_window == "sun:04:00-sun:05:00"
    error_message = "The preferred windows default to 02:00-03:00 and sun:04:00-sun:05:00."
  }

  assert {
    condition     = aws_db_subnet_group.this.subnet_ids == toset(var.private_subnet_ids)
    error_message = "The subnet group holds the private subnets."
  }
}

run "deletion_protection_and_final_snapshot_by_default" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.deletion_protection == true
    error_message = "Deletion protection is on by default."
  }

  assert {
    condition     = aws_rds_cluster.this.skip_final_snapshot == false && aws_rds_cluster.this.final_snapshot_identifier == "bazaar-test-db-final"
    error_message = "A final snapshot named after the cluster is taken by default."
  }
}

run "deletion_protection_and_final_snapshot_can_be_turned_off" {
  command = plan

  variables {
    deletion_protection = false
    final_snapshot      = false
  }

  assert {
    condition     = aws_rds_cluster.this.deletion_protection == false && aws_rds_cluster.this.skip_final_snapshot == true
    error_message = "deletion_protection = false and final_snapshot = false are passed through."
  }
}

run "ingress_only_from_the_given_security_groups" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.this) == 2
    error_message = "One ingress rule per allowed security group."
  }

  assert {
    condition     = tolist([for r in aws_vpc_security_group_ingress_rule.this : r.referenced_security_group_id]) == var.allowed_security_group_ids
    error_message = "Each rule references one of the allowed security groups."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.this : r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.prefix_list_id == null])
    error_message = "No rule opens a CIDR or prefix list."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.this : r.from_port == 5432 && r.to_port == 5432 && r.ip_protocol == "tcp"])
    error_message = "Rules open TCP 5432 only."
  }
}

run "no_allowed_groups_means_no_ingress" {
  command = plan

  variables {
    allowed_security_group_ids = []
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.this) == 0
    error_message = "Nothing can connect unless a security group is allowed."
  }
}

run "two_database_url_secrets_per_service_without_a_value" {
  command = apply

  assert {
    condition = (
      [for key in sort(keys(aws_secretsmanager_secret.service)) : aws_secretsmanager_secret.service[key].name] == [
        "bazaar-test/audit/database-url",
        "bazaar-test/orders/database-url",
        "bazaar-test/stock/database-url",
      ] &&
      [for key in sort(keys(aws_secretsmanager_secret.migrations)) : aws_secretsmanager_secret.migrations[key].name] == [
        "bazaar-test/audit/migrations-database-url",
        "bazaar-test/orders/migrations-database-url",
        "bazaar-test/stock/migrations-database-url",
      ]
    )
    error_message = "Each service has <name>/<service>/database-url (the app's) and .../migrations-database-url (the schema owner's)."
  }

  # There is no aws_secretsmanager_secret_version in the module (a reference
  # to one would not even parse here): each service's bootstrap task writes
  # the URLs with the passwords it generates, so no password is ever in state.
  assert {
    condition = alltrue([
      for s in concat(values(aws_secretsmanager_secret.service), values(aws_secretsmanager_secret.migrations)) :
      strcontains(s.description, "written by the service's database bootstrap task")
    ])
    error_message = "Each secret says who writes its value."
  }

  assert {
    condition = (
      keys(output.service_secret_arns) == ["audit", "orders", "stock"] &&
      keys(output.migrations_secret_arns) == ["audit", "orders", "stock"]
    )
    error_message = "service_secret_arns and migrations_secret_arns are keyed by service."
  }

  assert {
    condition     = output.service_secret_names == { audit = "bazaar-test/audit/database-url", orders = "bazaar-test/orders/database-url", stock = "bazaar-test/stock/database-url" }
    error_message = "service_secret_names names the app's secret of each service."
  }
}

run "min_capacity_above_max_is_refused" {
  command = plan

  variables {
    min_capacity = 8
    max_capacity = 4
  }

  expect_failures = [var.max_capacity]
}

run "min_capacity_below_half_an_acu_is_refused" {
  command = plan

  variables {
    min_capacity = 0.25
  }

  expect_failures = [var.min_capacity]
}

# dev's Aurora auto-pause: 0 ACUs when idle, only as auto-pause.
run "auto_pause_scales_to_zero_after_the_given_idle_seconds" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 600
  }

  assert {
    condition = (
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0 &&
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 600 &&
      aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 4
    )
    error_message = "min_capacity 0 with seconds_until_auto_pause reaches the cluster's scaling configuration."
  }
}

run "min_capacity_zero_without_auto_pause_is_refused" {
  command = plan

  variables {
    min_capacity = 0
  }

  expect_failures = [var.min_capacity]
}

run "auto_pause_above_zero_acus_is_refused" {
  command = plan

  variables {
    min_capacity             = 0.5
    seconds_until_auto_pause = 600
  }

  expect_failures = [var.min_capacity]
}

run "auto_pause_sooner_than_five_minutes_is_refused" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 299
  }

  expect_failures = [var.seconds_until_auto_pause]
}

run "auto_pause_later_than_a_day_is_refused" {
  command = plan

  variables {
    min_capacity             = 0
    seconds_until_auto_pause = 86401
  }

  expect_failures = [var.seconds_until_auto_pause]
}

run "min_capacity_between_zero_and_half_an_acu_is_refused_even_with_auto_pause" {
  command = plan

  variables {
    min_capacity             = 0.25
    seconds_until_auto_pause = 600
  }

  expect_failures = [var.min_capacity]
}

# prod's long point-in-time window.
run "backup_retention_period_is_passed_through" {
  command = plan

  variables {
    backup_retention_period = 35
  }

  assert {
    condition     = aws_rds_cluster.this.backup_retention_period == 35
    error_message = "backup_retention_period reaches the cluster: point-in-time restore reaches back that many days."
  }
}

run "backup_retention_over_35_days_is_refused" {
  command = plan

  variables {
    backup_retention_period = 36
  }

  expect_failures = [var.backup_retention_period]
}

run "a_fractional_backup_retention_is_refused" {
  command = plan

  variables {
    backup_retention_period = 7.5
  }

  expect_failures = [var.backup_retention_period]
}

run "max_capacity_above_256_is_refused" {
  command = plan

  variables {
    max_capacity = 300
  }

  expect_failures = [var.max_capacity]
}

run "bad_engine_version_is_refused" {
  command = plan

  variables {
    engine_version = "16"
  }

  expect_failures = [var.engine_version]
}

run "too_old_engine_version_is_refused" {
  command = plan

  variables {
    engine_version = "12.9"
  }

  expect_failures = [var.engine_version]
}

run "a_service_name_that_is_no_role_name_is_refused" {
  command = plan

  variables {
    services = { "Bad-Name" = { database = "bad" } }
  }

  expect_failures = [var.services]
}

run "enhanced_monitoring_has_its_role_and_can_be_off" {
  command = apply

  assert {
    condition     = length(aws_iam_role.monitoring) == 1 && aws_rds_cluster_instance.this[0].monitoring_interval == 60 && aws_rds_cluster_instance.this[0].monitoring_role_arn == aws_iam_role.monitoring[0].arn
    error_message = "Enhanced Monitoring samples every 60 s under the module's role."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.monitoring[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "The role carries only AWS's Enhanced Monitoring policy."
  }
}

run "enhanced_monitoring_off_creates_no_role" {
  command = plan

  variables {
    monitoring_interval = 0
  }

  assert {
    condition     = length(aws_iam_role.monitoring) == 0 && length(aws_iam_role_policy_attachment.monitoring) == 0 && aws_rds_cluster_instance.this[0].monitoring_interval == 0
    error_message = "monitoring_interval = 0 creates no role."
  }
}
