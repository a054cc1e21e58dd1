# The environment's Aurora Serverless v2 cluster (AWS/RDS, cluster-level
# metrics). The three alarms share one choice of missing data: "missing".
# Serverless v2 at min_capacity >= 0.5 never pauses, so the cluster reports
# every minute while it is up; without data it is stopped or gone, which the
# services' 5xx and /readyz say first. An OK notification then would be
# false comfort, so the alarms go INSUFFICIENT_DATA instead.

locals {
  db_dimensions = { DBClusterIdentifier = var.db_cluster_identifier }
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.name}-db-cpu"
  alarm_description   = "The database (${var.db_cluster_identifier}) used over ${var.thresholds.db_cpu_percent}% CPU in each of ${var.thresholds.db_cpu_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-db-cpu)."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = local.db_dimensions
  statistic           = "Average"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.db_cpu_percent
  evaluation_periods  = var.thresholds.db_cpu_minutes
  datapoints_to_alarm = var.thresholds.db_cpu_minutes
  treat_missing_data  = "missing"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# ACUUtilization is capacity in use over the maximum ACUs. Serverless v2
# scales up within seconds, so a high value alone is normal under load; one
# that stays at the top means the cluster is pinned at its ceiling and
# queries queue for CPU and memory. Maximum: the busiest instance counts.
resource "aws_cloudwatch_metric_alarm" "db_acu_at_max" {
  alarm_name          = "${var.name}-db-acu-at-max"
  alarm_description   = "The database (${var.db_cluster_identifier}) used at least ${var.thresholds.db_acu_percent}% of its maximum ACUs in each of ${var.thresholds.db_acu_minutes} minutes: it is pinned at its capacity ceiling; see docs/runbook.md (Alarms: <prefix>-db-acu-at-max)."
  namespace           = "AWS/RDS"
  metric_name         = "ACUUtilization"
  dimensions          = local.db_dimensions
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.thresholds.db_acu_percent
  evaluation_periods  = var.thresholds.db_acu_minutes
  datapoints_to_alarm = var.thresholds.db_acu_minutes
  treat_missing_data  = "missing"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# Serverless v2 derives max_connections from the maximum ACUs, and every
# task holds a fixed pool (DB_POOL_SIZE + readiness + the relay's LISTEN), so
# the count grows with tasks, not with traffic: a climb means more tasks or a
# leak, and at max_connections new tasks cannot start.
resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.name}-db-connections"
  alarm_description   = "The database (${var.db_cluster_identifier}) held over ${var.thresholds.db_connections} connections in each of ${var.thresholds.db_connections_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-db-connections)."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = local.db_dimensions
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.db_connections
  evaluation_periods  = var.thresholds.db_connections_minutes
  datapoints_to_alarm = var.thresholds.db_connections_minutes
  treat_missing_data  = "missing"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}
