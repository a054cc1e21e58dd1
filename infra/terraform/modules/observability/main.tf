# What a small on-call team needs for one environment, generated from the
# service catalog: one encrypted SNS topic every alarm (and Budgets, AWS
# Backup, AWS Config via EventBridge) notifies; per-service, per-queue,
# database and saga alarms; one dashboard; saved Logs Insights queries; a
# monthly cost budget. The files beside this one hold one part each.
#
# Every alarm's description names its pattern in docs/runbook.md (Alarms),
# and every alarm notifies the topic both when it fires and when it clears:
# an on-call person must learn that a page resolved itself as surely as that
# it fired.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  topic_name = "${var.name}-alarms"
  # Built, not read from the topic: the key policy names the topic, and the
  # topic names the key.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"

  # The services the event-backbone alarms apply to, from the catalog.
  publishers = { for key, service in var.services : key => service if length(service.publishes) > 0 }
  consumers  = { for key, service in var.services : key => service if length(service.consumes) > 0 }

  sagas = toset(var.sagas)

  # The one-minute period every alarm but the saga's evaluates: the ADOT
  # collector flushes the services' metrics once a minute, and the AWS
  # metrics used here are one-minute metrics.
  period = 60

  # The dimensions of each service's load balancer and ECS metrics.
  alb_dimensions = {
    for key in keys(var.services) : key => {
      LoadBalancer = var.alb_arn_suffix
      TargetGroup  = var.target_group_arn_suffixes[key]
    }
  }
  ecs_dimensions = {
    for key in keys(var.services) : key => {
      ClusterName = var.cluster_name
      ServiceName = var.ecs_service_names[key]
    }
  }

  # Every alarm this module makes, for the outputs and the dashboard.
  alarms = concat(
    values(aws_cloudwatch_metric_alarm.http_5xx_rate),
    values(aws_cloudwatch_metric_alarm.latency_p99),
    values(aws_cloudwatch_metric_alarm.unhealthy_hosts),
    values(aws_cloudwatch_metric_alarm.tasks_below_desired),
    values(aws_cloudwatch_metric_alarm.outbox_lag),
    values(aws_cloudwatch_metric_alarm.consumer_lag),
    values(aws_cloudwatch_metric_alarm.dlq_not_empty),
    values(aws_cloudwatch_metric_alarm.oldest_message),
    [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections],
    values(aws_cloudwatch_metric_alarm.saga_step_timeouts),
    values(aws_cloudwatch_metric_alarm.archive_lag),
  )
  alarm_arns = sort([for alarm in local.alarms : alarm.arn])
}
