# A message in a DLQ is an event a service could not handle: someone must look.
resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = var.enable_alarms ? var.queues : {}

  alarm_name          = "${each.value.dlq_name}-not-empty"
  alarm_description   = "${each.key} dead-lettered a message: see docs/runbook.md (The DLQ command)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq[each.key].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# An old message means the consumer is down or cannot keep up.
resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  for_each = var.enable_alarms ? var.queues : {}

  alarm_name          = "${each.value.queue_name}-oldest-message"
  alarm_description   = "${each.key} is not keeping up with its queue: see docs/runbook.md (Event backbone)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.this[each.key].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_alarm_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
