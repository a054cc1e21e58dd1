# Per catalog service: what its callers feel (errors, latency, through the
# ALB) and whether ECS keeps it running (health checks, task count).

# Share of requests the tasks answered 5xx. A share, not a count, so the
# threshold holds at any traffic; 5 breaching minutes of 5 so one bad deploy
# minute or one failing client does not page.
resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  for_each = var.services

  alarm_name          = "${var.name}-${each.key}-5xx-rate"
  alarm_description   = "${each.key}: over ${var.thresholds.http_5xx_rate_percent}% of its requests through the load balancer were answered 5xx by its tasks in each of ${var.thresholds.http_5xx_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-<service>-5xx-rate)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.http_5xx_rate_percent
  evaluation_periods  = var.thresholds.http_5xx_minutes
  datapoints_to_alarm = var.thresholds.http_5xx_minutes
  # No requests, no data: nothing failed. The tasks-below-desired and
  # unhealthy-hosts alarms speak for a service nobody can reach.
  treat_missing_data = "notBreaching"

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = local.alb_dimensions[each.key]
      stat        = "Sum"
      period      = local.period
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = local.alb_dimensions[each.key]
      stat        = "Sum"
      period      = local.period
    }
  }

  # The ALB reports HTTPCode_Target_5XX_Count only in minutes with a 5xx
  # (FILL makes the others 0), and a minute without requests has no share.
  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    label       = "5xx share of requests (%)"
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  for_each = var.services

  alarm_name          = "${var.name}-${each.key}-latency-p99"
  alarm_description   = "${each.key}: the slowest 1% of its requests took over ${var.thresholds.latency_p99_seconds} s (target response time, p99) in each of ${var.thresholds.latency_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-<service>-latency-p99)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = local.alb_dimensions[each.key]
  extended_statistic  = "p99"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.latency_p99_seconds
  evaluation_periods  = var.thresholds.latency_minutes
  datapoints_to_alarm = var.thresholds.latency_minutes
  # No requests, no response times: nothing was slow.
  treat_missing_data = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = var.services

  alarm_name          = "${var.name}-${each.key}-unhealthy-hosts"
  alarm_description   = "${each.key}: at least one of its tasks failed the load balancer's health check in each of ${var.thresholds.unhealthy_hosts_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-<service>-unhealthy-hosts)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.alb_dimensions[each.key]
  statistic           = "Maximum"
  period              = local.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.thresholds.unhealthy_hosts_minutes
  datapoints_to_alarm = var.thresholds.unhealthy_hosts_minutes
  # The ALB reports the count every minute while the target group is in use;
  # without data there are no targets at all, which tasks-below-desired
  # reports (one cause, one page).
  treat_missing_data = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}

# Container Insights counts the service's tasks. A deployment adds tasks
# beside the old ones (never fewer), and a scale-out takes a minute or two,
# so only a lasting shortfall is a problem: tasks that crash, cannot pull
# their image, fail their migrations, or find no Fargate capacity.
resource "aws_cloudwatch_metric_alarm" "tasks_below_desired" {
  for_each = var.services

  alarm_name          = "${var.name}-${each.key}-tasks-below-desired"
  alarm_description   = "${each.key}: ECS ran fewer tasks than it wants (${var.ecs_service_names[each.key]}, desired - running > 0) in each of ${var.thresholds.tasks_below_desired_minutes} minutes; see docs/runbook.md (Alarms: <prefix>-<service>-tasks-below-desired)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.thresholds.tasks_below_desired_minutes
  datapoints_to_alarm = var.thresholds.tasks_below_desired_minutes
  # Container Insights derives these from the running tasks' own reports:
  # a service with no task left at all reports nothing. Missing is the worst
  # case here, not the quiet one.
  treat_missing_data = "breaching"

  metric_query {
    id = "desired"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions  = local.ecs_dimensions[each.key]
      stat        = "Average"
      period      = local.period
    }
  }

  metric_query {
    id = "running"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions  = local.ecs_dimensions[each.key]
      stat        = "Average"
      period      = local.period
    }
  }

  metric_query {
    id          = "missing"
    expression  = "desired - FILL(running, 0)"
    label       = "tasks below desired"
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = var.tags
}
