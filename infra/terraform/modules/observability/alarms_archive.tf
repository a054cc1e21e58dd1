# The archive writer records the age of the oldest event it has still to
# write after every flush (every 2 s); healthy it is a few seconds. While S3
# or the bucket's key refuses it, the events wait in audit's database, the
# lag grows, and this fires: nothing is lost yet, but the archive is behind.
resource "aws_cloudwatch_metric_alarm" "archive_lag" {
  for_each = { for svc, access in var.event_archive_access : svc => access if access == "writer" }

  alarm_name          = "${var.name}-event-archive-lag"
  alarm_description   = "The oldest event ${each.key} has still to write to the event archive was over ${var.thresholds.archive_lag_seconds} s old in each of ${var.thresholds.archive_lag_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-event-archive-lag)."
  namespace           = var.metrics_namespace
  metric_name         = "bazaar.archive.lag"
  dimensions          = { "service.name" = each.key }
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.archive_lag_seconds
  evaluation_periods  = var.thresholds.archive_lag_minutes
  datapoints_to_alarm = var.thresholds.archive_lag_minutes
  # No data: no writer reports (no audit task, or its database is away); the
  # task and database alarms page for that.
  treat_missing_data = "missing"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}
