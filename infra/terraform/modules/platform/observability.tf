# What the team on call sees and hears: one alarm topic, alarms and a
# dashboard generated from the catalog, saved Logs Insights queries and the
# budget. The topic is also where AWS Config (audit.tf) and AWS Backup
# (backup.tf) report.

module "observability" {
  source = "../observability"

  name              = var.name
  environment       = var.environment
  services          = local.services
  queues            = module.catalog.queues
  metrics_namespace = local.metrics_namespace

  cluster_name              = module.cluster.cluster_name
  ecs_service_names         = { for svc, service in module.service : svc => service.service_name }
  alb_arn_suffix            = module.alb.alb_arn_suffix
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  db_cluster_identifier     = module.database.cluster_id
  log_group_names           = { for svc, service in module.service : svc => service.log_group_name }

  enable_saved_queries = var.enable_saved_queries
  event_archive_access = var.event_archive_bucket_access

  alarm_subscriptions = var.alarm_subscriptions
  thresholds          = var.alarm_thresholds
  monthly_budget_usd  = var.monthly_budget_usd

  tags = var.tags
}

# The queue alarms were modules/messaging's before the alarms came together
# here: same names, same keys, no replacement.
moved {
  from = module.messaging.aws_cloudwatch_metric_alarm.dlq_not_empty
  to   = module.observability.aws_cloudwatch_metric_alarm.dlq_not_empty
}

moved {
  from = module.messaging.aws_cloudwatch_metric_alarm.oldest_message
  to   = module.observability.aws_cloudwatch_metric_alarm.oldest_message
}
