# One dashboard for the environment, generated from the catalog: a section
# per concern (a text header each), a row per service, per queue, per saga.
# Rows are built without positions; the last locals place them on
# CloudWatch's 24-column grid, top to bottom, left to right.

locals {
  graph_height = 6

  # Graphs draw an alarm's threshold as a horizontal annotation where there
  # is one. Sections without members (no consumers, no sagas) are left out.
  dashboard_sections = concat(
    [
      {
        height = 2
        widgets = [{
          type  = "text"
          width = 24
          properties = {
            markdown = join("\n", [
              "# ${var.name} (${var.environment})",
              "Alarms notify `${local.topic_name}`; what each means and what to do: docs/runbook.md, section *Alarms*. Saved Logs Insights queries: ${join(", ", [for key in sort(keys(local.queries)) : "`${var.name}/${key}`"])}.",
            ])
          }
        }]
      },
      {
        height = local.graph_height
        widgets = [{
          type  = "alarm"
          width = 24
          properties = {
            title  = "Alarms"
            alarms = slice(local.alarm_arns, 0, min(length(local.alarm_arns), 100))
            sortBy = "stateUpdatedTimestamp"
          }
        }]
      },
      local.section_header["services"],
    ],
    [for key in sort(keys(var.services)) : local.service_rows[key]],
    [for section in ["queues"] : local.section_header[section] if length(var.queues) > 0],
    [for key in sort(keys(var.queues)) : local.queue_rows[key]],
    [for section in ["outbox"] : local.section_header[section] if length(local.publishers) > 0],
    local.outbox_rows,
    [for section in ["sagas"] : local.section_header[section] if length(local.sagas) > 0],
    [for saga in sort(local.sagas) : local.saga_rows[saga]],
    [local.section_header["database"], local.database_row],
  )

  section_header = {
    for key, text in {
      services = "## Services\nThrough the load balancer (requests, 5xx answered by the tasks, p99 response time) and in ECS (CPU and memory of the reserved size, running vs desired tasks)."
      queues   = "## Queues\nPer consuming service: its queue's depth and oldest message, its DLQ, how late events reach it and how its consumer finished them."
      outbox   = "## Outbox\nPer publishing service: the age of its oldest unpublished outbox row (healthy: under a second)."
      sagas    = "## Sagas\nHow sagas ended (per outcome; step-timeout is the technical one) and how long they took."
      database = "## Database\nThe Aurora Serverless v2 cluster `${var.db_cluster_identifier}`."
      } : key => {
      height  = 2
      widgets = [{ type = "text", width = 24, properties = { markdown = text } }]
    }
  }

  service_rows = {
    for key in keys(var.services) : key => {
      height = local.graph_height
      widgets = [
        {
          type  = "metric"
          width = 4
          properties = {
            title   = "${key}: requests"
            region  = local.region
            view    = "timeSeries"
            period  = local.period
            metrics = [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[key], { stat = "Sum", label = "requests" }]]
            yAxis   = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title  = "${key}: 5xx"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[key], { id = "errors", stat = "Sum", label = "5xx" }],
              ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[key], { id = "requests", stat = "Sum", visible = false }],
              [{ id = "rate", expression = "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", label = "5xx % (alarm)", yAxis = "right" }],
            ]
            annotations = { horizontal = [{ label = "alarm", value = var.thresholds.http_5xx_rate_percent, yAxis = "right" }] }
            yAxis       = { left = { min = 0 }, right = { min = 0, max = 100 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title       = "${key}: p99 response time (s)"
            region      = local.region
            view        = "timeSeries"
            period      = local.period
            metrics     = [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffixes[key], { stat = "p99", label = "p99" }]]
            annotations = { horizontal = [{ label = "alarm", value = var.thresholds.latency_p99_seconds }] }
            yAxis       = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title  = "${key}: CPU (%)"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Average", label = "average" }],
              ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Maximum", label = "busiest task" }],
            ]
            yAxis = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title  = "${key}: memory (%)"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Average", label = "average" }],
              ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Maximum", label = "fullest task" }],
            ]
            yAxis = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title  = "${key}: tasks"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Average", label = "running" }],
              ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.ecs_service_names[key], { stat = "Average", label = "desired" }],
            ]
            yAxis = { left = { min = 0 } }
          }
        },
      ]
    }
  }

  # bazaar_common.messaging's consumer outcomes (ConsumerOutcome).
  consumer_outcomes = ["acked", "duplicate", "failed", "poison"]

  queue_rows = {
    for key, queue in var.queues : key => {
      height = local.graph_height
      widgets = [
        {
          type  = "metric"
          width = 5
          properties = {
            title  = "${key} queue: depth"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.queue_name, { stat = "Maximum", label = "waiting" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", queue.queue_name, { stat = "Maximum", label = "in hand" }],
            ]
            yAxis = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 5
          properties = {
            title       = "${key} queue: oldest message (s)"
            region      = local.region
            view        = "timeSeries"
            period      = local.period
            metrics     = [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue.queue_name, { stat = "Maximum", label = "oldest" }]]
            annotations = { horizontal = [{ label = "alarm", value = var.thresholds.queue_oldest_message_seconds }] }
            yAxis       = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 4
          properties = {
            title       = "${key} DLQ: depth"
            region      = local.region
            view        = "timeSeries"
            period      = local.period
            metrics     = [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.dlq_name, { stat = "Maximum", label = "dead letters" }]]
            annotations = { horizontal = [{ label = "alarm", value = 0 }] }
            yAxis       = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 5
          properties = {
            title  = "${key}: consumer lag (s)"
            region = local.region
            view   = "timeSeries"
            period = local.period
            metrics = [
              [var.metrics_namespace, "bazaar.consumer.lag", "service.name", key, { stat = "Maximum", label = "most delayed event" }],
              [var.metrics_namespace, "bazaar.consumer.lag", "service.name", key, { stat = "Average", label = "average" }],
            ]
            annotations = { horizontal = [{ label = "alarm", value = var.thresholds.consumer_lag_seconds }] }
            yAxis       = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 5
          properties = {
            title   = "${key}: messages by outcome"
            region  = local.region
            view    = "timeSeries"
            period  = local.period
            metrics = [for outcome in local.consumer_outcomes : [var.metrics_namespace, "bazaar.consumer.messages", "service.name", key, "outcome", outcome, { stat = "Sum", label = outcome }]]
            yAxis   = { left = { min = 0 } }
          }
        },
      ]
    }
  }

  # Four outbox graphs a row.
  outbox_rows = [
    for chunk in chunklist(sort(keys(local.publishers)), 4) : {
      height = local.graph_height
      widgets = [
        for key in chunk : {
          type  = "metric"
          width = 6
          properties = {
            title       = "${key}: outbox lag (s)"
            region      = local.region
            view        = "timeSeries"
            period      = local.period
            metrics     = [[var.metrics_namespace, "bazaar.outbox.lag", "service.name", key, { stat = "Maximum", label = "oldest unpublished row" }]]
            annotations = { horizontal = [{ label = "alarm", value = var.thresholds.outbox_lag_seconds }] }
            yAxis       = { left = { min = 0 } }
          }
        }
      ]
    }
  ]

  saga_rows = {
    for saga in local.sagas : saga => {
      height = local.graph_height
      widgets = [
        {
          type  = "metric"
          width = 12
          properties = {
            title  = "${saga} saga: outcomes (per 5 minutes)"
            region = local.region
            view   = "timeSeries"
            period = 300
            # Every outcome the services report, without listing them here.
            metrics = [[{
              id         = "outcomes"
              expression = "SEARCH('{\"${var.metrics_namespace}\",outcome,saga} MetricName=\"bazaar.saga.outcomes\" saga=\"${saga}\"', 'Sum', 300)"
              # A dynamic label: each line is named by its outcome.
              label = "$${PROP('Dim.outcome')}"
            }]]
            yAxis = { left = { min = 0 } }
          }
        },
        {
          type  = "metric"
          width = 12
          properties = {
            title  = "${saga} saga: duration (s)"
            region = local.region
            view   = "timeSeries"
            period = 300
            # A statistic set has no percentiles: average and longest.
            metrics = [
              [var.metrics_namespace, "bazaar.saga.duration", "saga", saga, { stat = "Average", label = "average" }],
              [var.metrics_namespace, "bazaar.saga.duration", "saga", saga, { stat = "Maximum", label = "longest" }],
            ]
            yAxis = { left = { min = 0 } }
          }
        },
      ]
    }
  }

  database_row = {
    height = local.graph_height
    widgets = [
      {
        type  = "metric"
        width = 6
        properties = {
          title       = "database: CPU (%)"
          region      = local.region
          view        = "timeSeries"
          period      = local.period
          metrics     = [["AWS/RDS", "CPUUtilization", "DBClusterIdentifier", var.db_cluster_identifier, { stat = "Average", label = "CPU" }]]
          annotations = { horizontal = [{ label = "alarm", value = var.thresholds.db_cpu_percent }] }
          yAxis       = { left = { min = 0, max = 100 } }
        }
      },
      {
        type  = "metric"
        width = 6
        properties = {
          title       = "database: ACUs used of the maximum (%)"
          region      = local.region
          view        = "timeSeries"
          period      = local.period
          metrics     = [["AWS/RDS", "ACUUtilization", "DBClusterIdentifier", var.db_cluster_identifier, { stat = "Maximum", label = "ACU utilization" }]]
          annotations = { horizontal = [{ label = "alarm", value = var.thresholds.db_acu_percent }] }
          yAxis       = { left = { min = 0, max = 100 } }
        }
      },
      {
        type  = "metric"
        width = 6
        properties = {
          title   = "database: capacity (ACUs)"
          region  = local.region
          view    = "timeSeries"
          period  = local.period
          metrics = [["AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier", var.db_cluster_identifier, { stat = "Maximum", label = "ACUs" }]]
          yAxis   = { left = { min = 0 } }
        }
      },
      {
        type  = "metric"
        width = 6
        properties = {
          title       = "database: connections"
          region      = local.region
          view        = "timeSeries"
          period      = local.period
          metrics     = [["AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", var.db_cluster_identifier, { stat = "Maximum", label = "connections" }]]
          annotations = { horizontal = [{ label = "alarm", value = var.thresholds.db_connections }] }
          yAxis       = { left = { min = 0 } }
        }
      },
    ]
  }

  # Placement: each row starts below the ones before it, each widget right
  # of the ones before it in its row.
  dashboard_row_heights = [for row in local.dashboard_sections : row.height]
  dashboard_widgets = flatten([
    for i, row in local.dashboard_sections : [
      for j, widget in row.widgets : merge(widget, {
        x      = sum(concat([0], slice([for w in row.widgets : w.width], 0, j)))
        y      = sum(concat([0], slice(local.dashboard_row_heights, 0, i)))
        height = row.height
      })
    ]
  ])
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
