# The event backbone: events that do not leave a publisher (outbox lag),
# arrive late (consumer lag), wait in a queue (oldest message) or could not
# be handled at all (DLQ). The DLQ and oldest-message alarms came from
# modules/messaging with their names and addresses unchanged, keyed by
# service, so `moved` blocks carry them over without a replacement.

# The relay records the outbox lag (a gauge) every 10 s while it runs, 0
# when nothing waits; healthy it is well under a second.
resource "aws_cloudwatch_metric_alarm" "outbox_lag" {
  for_each = local.publishers

  alarm_name          = "${var.name}-${each.key}-outbox-lag"
  alarm_description   = "${each.key}: its oldest unpublished outbox row was over ${var.thresholds.outbox_lag_seconds} s old in each of ${var.thresholds.outbox_lag_minutes} minutes (events are not reaching the bus); see docs/runbook.md (Alarms: <prefix>-<service>-outbox-lag)."
  namespace           = var.metrics_namespace
  metric_name         = "bazaar.outbox.lag"
  dimensions          = { "service.name" = each.key }
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.outbox_lag_seconds
  evaluation_periods  = var.thresholds.outbox_lag_minutes
  datapoints_to_alarm = var.thresholds.outbox_lag_minutes
  # The gauge comes every minute while a relay runs, so no data means no
  # relay reports (no task runs, or the database does not answer its check).
  # That is not "no lag": missing leaves the alarm INSUFFICIENT_DATA instead
  # of sending an OK while rows may pile up; the task and database alarms
  # page for the cause.
  treat_missing_data = "missing"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# The consumer records each event's age when it takes it (a histogram,
# exported as a statistic set): Maximum is the most delayed event of the
# minute.
resource "aws_cloudwatch_metric_alarm" "consumer_lag" {
  for_each = local.consumers

  alarm_name          = "${var.name}-${each.key}-consumer-lag"
  alarm_description   = "${each.key}: events reached its consumer over ${var.thresholds.consumer_lag_seconds} s after they happened in each of ${var.thresholds.consumer_lag_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-<service>-consumer-lag)."
  namespace           = var.metrics_namespace
  metric_name         = "bazaar.consumer.lag"
  dimensions          = { "service.name" = each.key }
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.consumer_lag_seconds
  evaluation_periods  = var.thresholds.consumer_lag_minutes
  datapoints_to_alarm = var.thresholds.consumer_lag_minutes
  # No data is a minute without events, the normal quiet; a consumer that
  # stopped taking them shows in its queue's oldest-message alarm.
  treat_missing_data = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# A message in a DLQ is an event a service could not handle: someone must look.
resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = var.queues

  alarm_name          = "${each.value.dlq_name}-not-empty"
  alarm_description   = "${each.key} dead-lettered a message (${each.value.dlq_name} is not empty); see docs/runbook.md (Alarms: <prefix>-<service>-dlq-not-empty)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value.dlq_name }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # SQS stops reporting a queue nobody touched for hours: an idle DLQ, empty.
  treat_missing_data = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# An old message means the consumer is down or cannot keep up.
resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  for_each = var.queues

  alarm_name          = "${each.value.queue_name}-oldest-message"
  alarm_description   = "${each.key} is not keeping up with its queue: a message in ${each.value.queue_name} was over ${var.thresholds.queue_oldest_message_seconds} s old for 5 minutes; see docs/runbook.md (Alarms: <prefix>-<service>-oldest-message)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value.queue_name }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.queue_oldest_message_seconds
  # A queue with consumers polling it always reports; without data it was
  # idle for hours, and an idle queue holds nothing old.
  treat_missing_data = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}
