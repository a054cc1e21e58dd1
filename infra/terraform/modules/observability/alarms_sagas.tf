# Sagas cancelled for a technical reason. Of a saga's outcomes only
# step-timeout is technical (a participant did not answer in time); the
# others (confirmed, out-of-stock, payment-declined, customer-cancelled) are
# the business working. bazaar.saga.outcomes is a counter exported as
# per-period deltas: Sum is the sagas that ended. Its ["saga"] dimension set
# sums every outcome (the total), ["saga", "outcome"] one of them.

locals {
  technical_saga_outcome = "step-timeout"
  saga_window_seconds    = var.thresholds.saga_window_minutes * 60
}

resource "aws_cloudwatch_metric_alarm" "saga_step_timeouts" {
  for_each = local.sagas

  alarm_name          = "${var.name}-saga-${each.key}-step-timeouts"
  alarm_description   = "Over ${var.thresholds.saga_step_timeout_percent}% of the ${each.key} sagas that ended in the last ${var.thresholds.saga_window_minutes} minutes were cancelled with step-timeout (a participant did not answer); see docs/runbook.md (Alarms: <prefix>-saga-<saga>-step-timeouts)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.saga_step_timeout_percent
  # One window-long period: a share over the whole window, so a single
  # timeout among the few sagas of a quiet minute does not decide it.
  evaluation_periods = 1
  # No saga ended, so none was cancelled.
  treat_missing_data = "notBreaching"

  metric_query {
    id = "timeouts"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "bazaar.saga.outcomes"
      dimensions  = { saga = each.key, outcome = local.technical_saga_outcome }
      stat        = "Sum"
      period      = local.saga_window_seconds
    }
  }

  metric_query {
    id = "total"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "bazaar.saga.outcomes"
      dimensions  = { saga = each.key }
      stat        = "Sum"
      period      = local.saga_window_seconds
    }
  }

  # The share only where sagas ended; a window without timeouts has no
  # timeouts data point, which FILL makes 0.
  metric_query {
    id          = "share"
    expression  = "IF(total > 0, 100 * FILL(timeouts, 0) / total, 0)"
    label       = "step-timeout share of ended sagas (%)"
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}
