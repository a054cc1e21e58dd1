# One Aurora PostgreSQL Serverless v2 cluster for the environment; each
# service owns one database in it, reached as its own role (see README).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  cluster_identifier = "${var.name}-db"
  engine             = "aurora-postgresql"
  port               = 5432
  engine_major       = split(".", var.engine_version)[0]
  log_group_name     = "/aws/rds/cluster/${local.cluster_identifier}/postgresql"
  account_id         = data.aws_caller_identity.current.account_id
  partition          = data.aws_partition.current.partition
  region             = data.aws_region.current.name
}

resource "aws_db_subnet_group" "this" {
  name        = local.cluster_identifier
  description = "${var.name} Aurora PostgreSQL, private subnets"
  subnet_ids  = var.private_subnet_ids

  tags = merge(var.tags, { Name = local.cluster_identifier })
}

resource "aws_rds_cluster_parameter_group" "this" {
  # A prefix, so a major version upgrade can make the new family's group first.
  name_prefix = "${local.cluster_identifier}-pg${local.engine_major}-"
  family      = "aurora-postgresql${local.engine_major}"
  description = "${var.name} Aurora PostgreSQL ${local.engine_major}: TLS only, connection/DDL/slow-statement logging"

  # Clients that do not use TLS are refused.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  # Schema changes are rare and worth a trace; data statements are not logged
  # (they carry customer data), only slow ones by duration.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "this" {
  name_prefix = "${local.cluster_identifier}-"
  description = "${var.name} Aurora PostgreSQL: 5432 from the allowed security groups only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = local.cluster_identifier })

  lifecycle {
    create_before_destroy = true
  }
}

# count, not for_each: the IDs are usually other resources' attributes, unknown
# at plan time, while the list's length is known.
resource "aws_vpc_security_group_ingress_rule" "this" {
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from ${var.allowed_security_group_ids[count.index]}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]

  tags = var.tags
}

# RDS creates this group itself on first export, unencrypted and kept forever;
# made here first, with a key and a retention.
resource "aws_cloudwatch_log_group" "postgresql" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn

  tags = var.tags
}

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:The AWS Backup plan is modules/backup, which selects this cluster by cluster_arn; checkov looks for one in this module only.
  cluster_identifier = local.cluster_identifier
  engine             = local.engine
  engine_mode        = "provisioned"
  engine_version     = var.engine_version
  port               = local.port

  master_username               = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

  # For operators' IAM tokens; the services log in with the password in
  # their DATABASE_URL (service IAM auth is future work, see README).
  iam_database_authentication_enabled = true

  storage_encrypted = true
  kms_key_id        = aws_kms_key.this.arn

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name

  serverlessv2_scaling_configuration {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
    # Null leaves it to Aurora, which ignores it unless min_capacity is 0.
    seconds_until_auto_pause = var.seconds_until_auto_pause
  }

  backup_retention_period      = var.backup_retention_period
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true

  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.final_snapshot
  final_snapshot_identifier = "${local.cluster_identifier}-final"

  enabled_cloudwatch_logs_exports = ["postgresql"]

  allow_major_version_upgrade = false
  apply_immediately           = var.apply_immediately

  tags = merge(var.tags, { Name = local.cluster_identifier })

  depends_on = [aws_cloudwatch_log_group.postgresql]
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier         = "${local.cluster_identifier}-${count.index + 1}"
  cluster_identifier = aws_rds_cluster.this.id
  instance_class     = "db.serverless"
  engine             = aws_rds_cluster.this.engine
  engine_version     = aws_rds_cluster.this.engine_version

  db_subnet_group_name = aws_db_subnet_group.this.name
  publicly_accessible  = false

  # Serverless v2 readers in tiers 0-1 scale with the writer, so the one
  # promoted on failover can take the writer's load at once.
  promotion_tier = count.index == 0 ? 0 : 1

  auto_minor_version_upgrade = true
  copy_tags_to_snapshot      = true
  apply_immediately          = var.apply_immediately

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = one(aws_iam_role.monitoring[*].arn)

  tags = merge(var.tags, { Name = "${local.cluster_identifier}-${count.index + 1}" })
}
