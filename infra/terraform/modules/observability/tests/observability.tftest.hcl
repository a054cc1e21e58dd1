# terraform test: alarms, dashboard, queries and budget from a small catalog
# on a mocked provider. Three services like the real four: orders publishes
# and consumes, inventory only publishes, audit only consumes.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  # The rendered json is mocked; the statements are configuration, so the
  # plan holds them as written.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }
}

variables {
  name              = "bazaar-test"
  environment       = "dev"
  metrics_namespace = "Bazaar/bazaar-test"
  cluster_name      = "bazaar-test"
  alb_arn_suffix    = "app/bazaar-test-alb/0123456789abcdef"

  # The catalog's shape, extra attributes included: the module takes what it
  # needs and ignores the rest.
  services = {
    orders = {
      name      = "orders"
      port      = 8002
      publishes = ["OrderPlaced", "ReserveStock"]
      consumes  = ["StockReserved"]
    }
    inventory = {
      name      = "inventory"
      port      = 8001
      publishes = ["StockReserved"]
      consumes  = []
    }
    audit = {
      name      = "audit"
      port      = 8004
      publishes = []
      consumes  = ["OrderPlaced", "StockReserved"]
    }
  }
  queues = {
    orders = {
      queue_name   = "bazaar-test-orders"
      dlq_name     = "bazaar-test-orders-dlq"
      rule_name    = "bazaar-test-to-orders"
      detail_types = ["StockReserved"]
    }
    audit = {
      queue_name   = "bazaar-test-audit"
      dlq_name     = "bazaar-test-audit-dlq"
      rule_name    = "bazaar-test-to-audit"
      detail_types = ["OrderPlaced", "StockReserved"]
    }
  }
  ecs_service_names = {
    orders    = "bazaar-test-orders"
    inventory = "bazaar-test-inventory"
    audit     = "bazaar-test-audit"
  }
  target_group_arn_suffixes = {
    orders    = "targetgroup/bazaar-test-orders/0123456789abcdef"
    inventory = "targetgroup/bazaar-test-inventory/0123456789abcdee"
    audit     = "targetgroup/bazaar-test-audit/0123456789abcded"
  }
  log_group_names = {
    orders    = "/ecs/bazaar-test/orders"
    inventory = "/ecs/bazaar-test/inventory"
    audit     = "/ecs/bazaar-test/audit"
  }
  db_cluster_identifier = "bazaar-test-db"
  alarm_subscriptions   = [{ protocol = "email", endpoint = "oncall@example.com" }]
  monthly_budget_usd    = 500
}

run "every_alarm_family_covers_exactly_the_services_it_applies_to" {
  command = plan

  assert {
    condition = alltrue([
      for family in [aws_cloudwatch_metric_alarm.http_5xx_rate, aws_cloudwatch_metric_alarm.latency_p99, aws_cloudwatch_metric_alarm.unhealthy_hosts, aws_cloudwatch_metric_alarm.tasks_below_desired] :
      toset(keys(family)) == toset(["orders", "inventory", "audit"])
    ])
    error_message = "Every service gets the 5xx, latency, unhealthy-hosts and tasks alarms."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.outbox_lag)) == toset(["orders", "inventory"])
    error_message = "Only publishing services get an outbox lag alarm."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.consumer_lag)) == toset(["orders", "audit"])
    error_message = "Only consuming services get a consumer lag alarm."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.dlq_not_empty)) == toset(["orders", "audit"]) && toset(keys(aws_cloudwatch_metric_alarm.oldest_message)) == toset(["orders", "audit"])
    error_message = "DLQ and oldest-message alarms exist per queue, keyed by service (the addresses messaging had)."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.saga_step_timeouts)) == toset(["order"])
    error_message = "One step-timeout alarm per saga (default: order)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].alarm_name == "bazaar-test-orders-5xx-rate" &&
      aws_cloudwatch_metric_alarm.latency_p99["orders"].alarm_name == "bazaar-test-orders-latency-p99" &&
      aws_cloudwatch_metric_alarm.unhealthy_hosts["orders"].alarm_name == "bazaar-test-orders-unhealthy-hosts" &&
      aws_cloudwatch_metric_alarm.tasks_below_desired["orders"].alarm_name == "bazaar-test-orders-tasks-below-desired" &&
      aws_cloudwatch_metric_alarm.outbox_lag["inventory"].alarm_name == "bazaar-test-inventory-outbox-lag" &&
      aws_cloudwatch_metric_alarm.consumer_lag["audit"].alarm_name == "bazaar-test-audit-consumer-lag" &&
      aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].alarm_name == "bazaar-test-saga-order-step-timeouts" &&
      aws_cloudwatch_metric_alarm.db_cpu.alarm_name == "bazaar-test-db-cpu" &&
      aws_cloudwatch_metric_alarm.db_acu_at_max.alarm_name == "bazaar-test-db-acu-at-max" &&
      aws_cloudwatch_metric_alarm.db_connections.alarm_name == "bazaar-test-db-connections"
    )
    error_message = "Alarm names follow the patterns in docs/runbook.md (Alarms)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.dlq_not_empty["audit"].alarm_name == "bazaar-test-audit-dlq-not-empty" &&
      aws_cloudwatch_metric_alarm.oldest_message["audit"].alarm_name == "bazaar-test-audit-oldest-message"
    )
    error_message = "The DLQ and oldest-message alarms keep the names they had in modules/messaging."
  }

  assert {
    # 4 per service x 3, 2 outbox, 2 consumer, 2 DLQ, 2 oldest, 3 database, 1 saga.
    condition     = length(output.alarm_names) == 24 && length(distinct(output.alarm_names)) == 24 && output.alarm_names == sort(output.alarm_names)
    error_message = "alarm_names lists every alarm once, sorted."
  }
}

run "every_alarm_notifies_the_topic_and_points_at_the_runbook" {
  command = apply

  assert {
    condition = alltrue([
      for alarm in concat(
        values(aws_cloudwatch_metric_alarm.http_5xx_rate), values(aws_cloudwatch_metric_alarm.latency_p99),
        values(aws_cloudwatch_metric_alarm.unhealthy_hosts), values(aws_cloudwatch_metric_alarm.tasks_below_desired),
        values(aws_cloudwatch_metric_alarm.outbox_lag), values(aws_cloudwatch_metric_alarm.consumer_lag),
        values(aws_cloudwatch_metric_alarm.dlq_not_empty), values(aws_cloudwatch_metric_alarm.oldest_message),
        [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections],
        values(aws_cloudwatch_metric_alarm.saga_step_timeouts),
      ) :
      alarm.alarm_actions == toset([aws_sns_topic.alarms.arn]) && alarm.ok_actions == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "Every alarm notifies the topic when it fires and when it clears."
  }

  assert {
    condition = alltrue([
      for alarm in concat(
        values(aws_cloudwatch_metric_alarm.http_5xx_rate), values(aws_cloudwatch_metric_alarm.latency_p99),
        values(aws_cloudwatch_metric_alarm.unhealthy_hosts), values(aws_cloudwatch_metric_alarm.tasks_below_desired),
        values(aws_cloudwatch_metric_alarm.outbox_lag), values(aws_cloudwatch_metric_alarm.consumer_lag),
        values(aws_cloudwatch_metric_alarm.dlq_not_empty), values(aws_cloudwatch_metric_alarm.oldest_message),
        [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections],
        values(aws_cloudwatch_metric_alarm.saga_step_timeouts),
      ) :
      can(regex("see docs/runbook\\.md \\(Alarms: <prefix>-[a-z<>0-9-]+\\)\\.$", alarm.alarm_description))
    ])
    error_message = "Every alarm's description ends with its pattern in the runbook's Alarms section."
  }

  assert {
    condition     = length(output.alarm_names) == 24 && alltrue([for name in output.alarm_names : startswith(name, "bazaar-test-")])
    error_message = "alarm_names holds every alarm, all under the environment's prefix."
  }
}

run "alarms_read_the_metrics_of_the_contract" {
  command = plan

  assert {
    condition = (
      toset([for q in aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].metric_query : q.metric[0].metric_name if length(q.metric) > 0]) == toset(["HTTPCode_Target_5XX_Count", "RequestCount"]) &&
      alltrue([for q in aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].metric_query : q.metric[0].dimensions == tomap({ LoadBalancer = "app/bazaar-test-alb/0123456789abcdef", TargetGroup = "targetgroup/bazaar-test-orders/0123456789abcdef" }) if length(q.metric) > 0])
    )
    error_message = "The 5xx rate divides the service's target 5xx by its requests, on its own target group."
  }

  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].metric_query : q.expression if q.return_data == true]) == "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    error_message = "The 5xx share is guarded against minutes without requests."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.latency_p99["audit"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.latency_p99["audit"].metric_name == "TargetResponseTime"
    error_message = "Latency is the target response time's p99."
  }

  assert {
    condition = (
      one([for q in aws_cloudwatch_metric_alarm.tasks_below_desired["inventory"].metric_query : q.expression if q.return_data == true]) == "desired - FILL(running, 0)" &&
      alltrue([for q in aws_cloudwatch_metric_alarm.tasks_below_desired["inventory"].metric_query : q.metric[0].namespace == "ECS/ContainerInsights" && q.metric[0].dimensions == tomap({ ClusterName = "bazaar-test", ServiceName = "bazaar-test-inventory" }) if length(q.metric) > 0])
    )
    error_message = "Tasks below desired compares Container Insights' counts of the named ECS service."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.outbox_lag["orders"].namespace == "Bazaar/bazaar-test" &&
      aws_cloudwatch_metric_alarm.outbox_lag["orders"].metric_name == "bazaar.outbox.lag" &&
      aws_cloudwatch_metric_alarm.outbox_lag["orders"].dimensions == tomap({ "service.name" = "orders" }) &&
      aws_cloudwatch_metric_alarm.outbox_lag["orders"].statistic == "Maximum"
    )
    error_message = "Outbox lag reads bazaar.outbox.lag by service.name in the services' namespace."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.consumer_lag["audit"].metric_name == "bazaar.consumer.lag" &&
      aws_cloudwatch_metric_alarm.consumer_lag["audit"].dimensions == tomap({ "service.name" = "audit" }) &&
      aws_cloudwatch_metric_alarm.consumer_lag["audit"].statistic == "Maximum"
    )
    error_message = "Consumer lag reads bazaar.consumer.lag's Maximum by service.name."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.dlq_not_empty["orders"].dimensions == tomap({ QueueName = "bazaar-test-orders-dlq" }) && aws_cloudwatch_metric_alarm.dlq_not_empty["orders"].threshold == 0 &&
      aws_cloudwatch_metric_alarm.oldest_message["orders"].dimensions == tomap({ QueueName = "bazaar-test-orders" }) && aws_cloudwatch_metric_alarm.oldest_message["orders"].metric_name == "ApproximateAgeOfOldestMessage"
    )
    error_message = "A single dead letter alarms; the age alarm watches the service's own queue."
  }

  assert {
    condition = (
      toset([for q in aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].metric_query : q.metric[0].dimensions if length(q.metric) > 0]) == toset([tomap({ saga = "order", outcome = "step-timeout" }), tomap({ saga = "order" })]) &&
      alltrue([for q in aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].metric_query : q.metric[0].metric_name == "bazaar.saga.outcomes" && q.metric[0].stat == "Sum" && q.metric[0].period == 900 if length(q.metric) > 0]) &&
      one([for q in aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].metric_query : q.expression if q.return_data == true]) == "IF(total > 0, 100 * FILL(timeouts, 0) / total, 0)"
    )
    error_message = "The saga alarm divides step-timeout ends by all ends (the [\"saga\"] set) over 15 minutes, only where sagas ended."
  }

  assert {
    condition = alltrue([
      for alarm in [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections] :
      alarm.namespace == "AWS/RDS" && alarm.dimensions == tomap({ DBClusterIdentifier = "bazaar-test-db" })
    ]) && aws_cloudwatch_metric_alarm.db_acu_at_max.metric_name == "ACUUtilization" && aws_cloudwatch_metric_alarm.db_acu_at_max.comparison_operator == "GreaterThanOrEqualToThreshold"
    error_message = "The database alarms watch the environment's Aurora cluster; ACU alarms at or above the threshold."
  }
}

run "thresholds_have_sane_defaults" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].threshold == 5 && aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].evaluation_periods == 5 && aws_cloudwatch_metric_alarm.http_5xx_rate["orders"].datapoints_to_alarm == 5 &&
      aws_cloudwatch_metric_alarm.latency_p99["orders"].threshold == 1 &&
      aws_cloudwatch_metric_alarm.outbox_lag["orders"].threshold == 60 &&
      aws_cloudwatch_metric_alarm.consumer_lag["orders"].threshold == 60 && aws_cloudwatch_metric_alarm.consumer_lag["orders"].evaluation_periods == 5 &&
      aws_cloudwatch_metric_alarm.oldest_message["orders"].threshold == 300 &&
      aws_cloudwatch_metric_alarm.db_acu_at_max.threshold == 90 && aws_cloudwatch_metric_alarm.db_acu_at_max.evaluation_periods == 15 &&
      aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].threshold == 5
    )
    error_message = "Defaults: 5% 5xx for 5 of 5 minutes, p99 1 s, lags 60 s, queue age 300 s, ACU >= 90% for 15 minutes, 5% step timeouts."
  }
}

run "thresholds_come_from_the_variable" {
  command = plan

  variables {
    thresholds = {
      http_5xx_rate_percent        = 2
      http_5xx_minutes             = 3
      latency_p99_seconds          = 0.5
      unhealthy_hosts_minutes      = 2
      tasks_below_desired_minutes  = 7
      outbox_lag_seconds           = 30
      consumer_lag_seconds         = 45
      queue_oldest_message_seconds = 120
      db_cpu_percent               = 70
      db_acu_percent               = 95
      db_connections               = 150
      saga_step_timeout_percent    = 10
      saga_window_minutes          = 30
    }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.http_5xx_rate["audit"].threshold == 2 && aws_cloudwatch_metric_alarm.http_5xx_rate["audit"].evaluation_periods == 3 &&
      aws_cloudwatch_metric_alarm.latency_p99["audit"].threshold == 0.5 &&
      aws_cloudwatch_metric_alarm.unhealthy_hosts["audit"].evaluation_periods == 2 &&
      aws_cloudwatch_metric_alarm.tasks_below_desired["audit"].evaluation_periods == 7 &&
      aws_cloudwatch_metric_alarm.outbox_lag["inventory"].threshold == 30 &&
      aws_cloudwatch_metric_alarm.consumer_lag["audit"].threshold == 45 &&
      aws_cloudwatch_metric_alarm.oldest_message["audit"].threshold == 120 &&
      aws_cloudwatch_metric_alarm.db_cpu.threshold == 70 &&
      aws_cloudwatch_metric_alarm.db_acu_at_max.threshold == 95 &&
      aws_cloudwatch_metric_alarm.db_connections.threshold == 150 &&
      aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].threshold == 10
    )
    error_message = "Every threshold follows var.thresholds."
  }

  assert {
    condition     = alltrue([for q in aws_cloudwatch_metric_alarm.saga_step_timeouts["order"].metric_query : q.metric[0].period == 1800 if length(q.metric) > 0])
    error_message = "The saga window follows saga_window_minutes."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.latency_p99["audit"].evaluation_periods == 5 && aws_cloudwatch_metric_alarm.db_acu_at_max.evaluation_periods == 15
    error_message = "Fields left out keep their defaults."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_metric_alarm.http_5xx_rate["audit"].alarm_description, "over 2% of its requests")
    error_message = "Descriptions state the threshold in force."
  }
}

run "missing_data_is_treated_per_alarm" {
  command = plan

  assert {
    condition     = alltrue([for alarm in values(aws_cloudwatch_metric_alarm.tasks_below_desired) : alarm.treat_missing_data == "breaching"])
    error_message = "A service that reports no tasks at all is treated as below desired."
  }

  assert {
    condition = alltrue([
      for alarm in concat(values(aws_cloudwatch_metric_alarm.outbox_lag), [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections]) :
      alarm.treat_missing_data == "missing"
    ])
    error_message = "Outbox lag and the database go INSUFFICIENT_DATA, not OK, when their metrics stop."
  }

  assert {
    condition = alltrue([
      for alarm in concat(
        values(aws_cloudwatch_metric_alarm.http_5xx_rate), values(aws_cloudwatch_metric_alarm.latency_p99), values(aws_cloudwatch_metric_alarm.unhealthy_hosts),
        values(aws_cloudwatch_metric_alarm.consumer_lag), values(aws_cloudwatch_metric_alarm.dlq_not_empty), values(aws_cloudwatch_metric_alarm.oldest_message),
        values(aws_cloudwatch_metric_alarm.saga_step_timeouts),
      ) : alarm.treat_missing_data == "notBreaching"
    ])
    error_message = "Where no data means no traffic, the alarm stays OK."
  }
}

run "the_topic_is_encrypted_and_admits_the_publishing_services" {
  command = apply

  assert {
    condition     = aws_sns_topic.alarms.name == "bazaar-test-alarms" && aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.topic.arn && output.topic_arn == aws_sns_topic.alarms.arn
    error_message = "The topic <name>-alarms is encrypted with the module's key."
  }

  assert {
    condition     = aws_kms_key.topic.enable_key_rotation == true && output.topic_kms_key_arn == aws_kms_key.topic.arn
    error_message = "The key rotates."
  }

  assert {
    condition = toset(flatten([
      for s in data.aws_iam_policy_document.topic_key.statement : [for p in s.principals : tolist(p.identifiers) if p.type == "Service"]
    ])) == toset(["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com", "backup.amazonaws.com"])
    error_message = "CloudWatch, EventBridge, Budgets and Backup may use the key."
  }

  assert {
    condition = alltrue(flatten([
      for s in data.aws_iam_policy_document.topic_key.statement : [
        toset(s.actions) == toset(["kms:GenerateDataKey*", "kms:Decrypt"]) &&
        anytrue([for c in s.condition : c.variable == "kms:EncryptionContext:aws:sns:topicArn" && c.values == tolist(["arn:aws:sns:eu-west-1:123456789012:bazaar-test-alarms"])])
      ] if anytrue([for p in s.principals : p.type == "Service"])
    ]))
    error_message = "The services may only make and read data keys of this topic's messages."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.topic_key.statement :
      anytrue([for p in s.principals : contains(p.identifiers, "cloudwatch.amazonaws.com")]) &&
      anytrue([for c in s.condition : c.variable == "aws:SourceAccount" && c.values == tolist(["123456789012"])])
    ])
    error_message = "CloudWatch's key use is held to this account."
  }

  assert {
    condition = toset(flatten([
      for s in data.aws_iam_policy_document.topic.statement : [for p in s.principals : tolist(p.identifiers)] if s.effect != "Deny"
    ])) == toset(["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com", "backup.amazonaws.com"])
    error_message = "The topic policy lets exactly the four services publish."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.topic.statement :
      anytrue([for c in s.condition : c.variable == "aws:SourceAccount" && c.values == tolist(["123456789012"])])
      if anytrue([for p in s.principals : length(setintersection(p.identifiers, ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"])) > 0])
    ])
    error_message = "CloudWatch, EventBridge and Budgets publish only for this account."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.topic.statement : s.actions == toset(["sns:Publish"]) && s.resources == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "The topic policy is about publishing to this topic only."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.topic.statement :
      s.effect == "Deny" && anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "Publishing without TLS is denied."
  }

  assert {
    condition     = aws_sns_topic_policy.alarms.arn == aws_sns_topic.alarms.arn
    error_message = "The policy is the topic's."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.alarms) == 1 && aws_sns_topic_subscription.alarms["email:oncall@example.com"].protocol == "email" && aws_sns_topic_subscription.alarms["email:oncall@example.com"].topic_arn == aws_sns_topic.alarms.arn
    error_message = "One subscription per alarm_subscriptions entry."
  }
}

run "the_dashboard_has_a_row_per_service_queue_and_publisher" {
  command = apply

  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "bazaar-test" && output.dashboard_name == "bazaar-test"
    error_message = "The dashboard is named after the environment."
  }

  assert {
    condition = alltrue(flatten([
      for service in ["orders", "inventory", "audit"] : [
        for graph in ["requests", "5xx", "p99 response time (s)", "CPU (%)", "memory (%)", "tasks"] :
        length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if try(w.properties.title, "") == "${service}: ${graph}"]) == 1
      ]
    ]))
    error_message = "Every service has its requests, 5xx, p99, CPU, memory and tasks graphs, once."
  }

  assert {
    condition = toset([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : trimsuffix(w.properties.title, " queue: depth")
      if endswith(try(w.properties.title, ""), " queue: depth")
    ]) == toset(["orders", "audit"])
    error_message = "Every queue, and only those, has a depth graph."
  }

  assert {
    condition = toset([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : trimsuffix(w.properties.title, " DLQ: depth")
      if endswith(try(w.properties.title, ""), " DLQ: depth")
      ]) == toset(["orders", "audit"]) && toset([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : trimsuffix(w.properties.title, ": consumer lag (s)")
      if endswith(try(w.properties.title, ""), ": consumer lag (s)")
    ]) == toset(["orders", "audit"])
    error_message = "Every queue has its DLQ and consumer lag graphs."
  }

  assert {
    condition = toset([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : trimsuffix(w.properties.title, ": outbox lag (s)")
      if endswith(try(w.properties.title, ""), ": outbox lag (s)")
    ]) == toset(["orders", "inventory"])
    error_message = "Every publishing service, and only those, has an outbox lag graph."
  }

  assert {
    condition = alltrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
      anytrue([for m in w.properties.metrics : contains(m, "targetgroup/bazaar-test-orders/0123456789abcdef")])
      if contains(["orders: requests", "orders: 5xx", "orders: p99 response time (s)"], try(w.properties.title, ""))
    ])
    error_message = "A service's load balancer graphs read its own target group."
  }

  assert {
    condition = length([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w
      if startswith(try(w.properties.markdown, ""), "## ")
    ]) == 5
    error_message = "A text header for each section: services, queues, outbox, sagas, database."
  }

  assert {
    condition = alltrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.x >= 0 && w.x + w.width <= 24
    ])
    error_message = "Every widget fits CloudWatch's 24-column grid."
  }

  assert {
    condition = length(distinct([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : "${w.x},${w.y}"
    ])) == length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets)
    error_message = "No two widgets are placed at the same position."
  }

  assert {
    condition = toset(one([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.alarms if w.type == "alarm"
      ])) == toset([
      for alarm in concat(
        values(aws_cloudwatch_metric_alarm.http_5xx_rate), values(aws_cloudwatch_metric_alarm.latency_p99),
        values(aws_cloudwatch_metric_alarm.unhealthy_hosts), values(aws_cloudwatch_metric_alarm.tasks_below_desired),
        values(aws_cloudwatch_metric_alarm.outbox_lag), values(aws_cloudwatch_metric_alarm.consumer_lag),
        values(aws_cloudwatch_metric_alarm.dlq_not_empty), values(aws_cloudwatch_metric_alarm.oldest_message),
        [aws_cloudwatch_metric_alarm.db_cpu, aws_cloudwatch_metric_alarm.db_acu_at_max, aws_cloudwatch_metric_alarm.db_connections],
        values(aws_cloudwatch_metric_alarm.saga_step_timeouts),
      ) : alarm.arn
    ])
    error_message = "The alarm status widget lists every alarm."
  }

  assert {
    condition = anytrue([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
      strcontains(jsonencode(w.properties.metrics), "bazaar.saga.outcomes") && strcontains(jsonencode(w.properties.metrics), "saga=\\\"order\\\"")
      if try(w.properties.title, "") == "order saga: outcomes (per 5 minutes)"
    ])
    error_message = "The order saga's outcomes are charted by outcome."
  }
}

run "saved_queries_search_every_service_log_group" {
  command = plan

  assert {
    condition = output.query_definition_names == tolist([
      "bazaar-test/consumer-failures",
      "bazaar-test/errors-by-service",
      "bazaar-test/outbox-relay",
      "bazaar-test/recent-errors",
      "bazaar-test/request-by-trace-id",
      "bazaar-test/slowest-routes",
    ])
    error_message = "The queries sit in the <name>/ folder."
  }

  assert {
    condition = alltrue([
      for query in aws_cloudwatch_query_definition.this :
      toset(query.log_group_names) == toset(["/ecs/bazaar-test/orders", "/ecs/bazaar-test/inventory", "/ecs/bazaar-test/audit"])
    ])
    error_message = "Every query searches every service's log group."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["errors-by-service"].query_string, "filter level = \"ERROR\" or status >= 500") && strcontains(aws_cloudwatch_query_definition.this["errors-by-service"].query_string, "by service")
    error_message = "errors-by-service counts ERROR lines and 5xx answers per service."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["request-by-trace-id"].query_string, "filter trace_id = \"REPLACE-WITH-TRACE-ID\"")
    error_message = "The trace query carries a placeholder for the operator to replace."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["slowest-routes"].query_string, "filter message = \"request\"") && strcontains(aws_cloudwatch_query_definition.this["slowest-routes"].query_string, "by service, method, route")
    error_message = "slowest-routes groups the access log lines by route template."
  }
}

run "the_budget_notifies_the_topic" {
  command = apply

  assert {
    condition = (
      length(aws_budgets_budget.monthly) == 1 &&
      aws_budgets_budget.monthly[0].name == "bazaar-test-monthly" &&
      aws_budgets_budget.monthly[0].budget_type == "COST" &&
      aws_budgets_budget.monthly[0].time_unit == "MONTHLY" &&
      tonumber(aws_budgets_budget.monthly[0].limit_amount) == 500 &&
      aws_budgets_budget.monthly[0].limit_unit == "USD"
    )
    error_message = "A monthly COST budget of monthly_budget_usd."
  }

  assert {
    condition     = length(aws_budgets_budget.monthly[0].cost_filter) == 1 && one(aws_budgets_budget.monthly[0].cost_filter).name == "TagKeyValue" && one(aws_budgets_budget.monthly[0].cost_filter).values == tolist(["user:environment$dev"])
    error_message = "The budget counts the costs tagged environment = <environment>."
  }

  assert {
    condition = toset([
      for n in aws_budgets_budget.monthly[0].notification : "${n.notification_type}:${n.comparison_operator}:${n.threshold}:${n.threshold_type}"
    ]) == toset(["ACTUAL:GREATER_THAN:80:PERCENTAGE", "FORECASTED:GREATER_THAN:100:PERCENTAGE"])
    error_message = "It notifies at 80% actual and 100% forecast spend."
  }

  assert {
    condition     = alltrue([for n in aws_budgets_budget.monthly[0].notification : n.subscriber_sns_topic_arns == toset([aws_sns_topic.alarms.arn])])
    error_message = "Both notifications go to the alarms topic."
  }

  assert {
    condition     = output.budget_name == "bazaar-test-monthly"
    error_message = "budget_name names the budget."
  }
}

run "budget_thresholds_are_inputs" {
  command = plan

  variables {
    budget_alert_thresholds = { actual_percent = 50 }
  }

  assert {
    condition = toset([
      for n in aws_budgets_budget.monthly[0].notification : "${n.notification_type}:${n.threshold}"
    ]) == toset(["ACTUAL:50", "FORECASTED:100"])
    error_message = "budget_alert_thresholds sets the notification thresholds (unset ones keep their default)."
  }
}

run "no_budget_without_an_amount" {
  command = plan

  variables {
    monthly_budget_usd = null
  }

  assert {
    condition     = length(aws_budgets_budget.monthly) == 0 && output.budget_name == null
    error_message = "monthly_budget_usd = null creates no budget."
  }
}

run "sagas_are_an_input" {
  command = plan

  variables {
    sagas = ["order", "refund"]
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.saga_step_timeouts)) == toset(["order", "refund"]) && length(output.alarm_names) == 25
    error_message = "One step-timeout alarm per saga."
  }
}

run "a_catalog_without_consumers_or_sagas_has_no_such_alarms" {
  command = apply

  variables {
    services = {
      inventory = { name = "inventory", publishes = ["StockReserved"], consumes = [] }
    }
    queues                    = {}
    ecs_service_names         = { inventory = "bazaar-test-inventory" }
    target_group_arn_suffixes = { inventory = "targetgroup/bazaar-test-inventory/0123456789abcdee" }
    log_group_names           = { inventory = "/ecs/bazaar-test/inventory" }
    sagas                     = []
  }

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.consumer_lag) == 0 && length(aws_cloudwatch_metric_alarm.dlq_not_empty) == 0 &&
      length(aws_cloudwatch_metric_alarm.oldest_message) == 0 && length(aws_cloudwatch_metric_alarm.saga_step_timeouts) == 0 &&
      length(output.alarm_names) == 8
    )
    error_message = "Only the service's four, its outbox lag and the database's three remain."
  }

  assert {
    condition = length([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w
      if startswith(try(w.properties.markdown, ""), "## ")
    ]) == 3
    error_message = "Sections without members (queues, sagas) are left out of the dashboard."
  }
}

run "an_unsafe_subscription_protocol_is_refused" {
  command = plan

  variables {
    alarm_subscriptions = [{ protocol = "http", endpoint = "http://hooks.example.com/alarms" }]
  }

  expect_failures = [var.alarm_subscriptions]
}

run "an_endpoint_that_does_not_fit_its_protocol_is_refused" {
  command = plan

  variables {
    alarm_subscriptions = [{ protocol = "https", endpoint = "hooks.example.com/alarms" }]
  }

  expect_failures = [var.alarm_subscriptions]
}

run "a_negative_threshold_is_refused" {
  command = plan

  variables {
    thresholds = { outbox_lag_seconds = -1 }
  }

  expect_failures = [var.thresholds]
}

run "a_percentage_over_100_is_refused" {
  command = plan

  variables {
    thresholds = { http_5xx_rate_percent = 150 }
  }

  expect_failures = [var.thresholds]
}

run "a_fractional_evaluation_window_is_refused" {
  command = plan

  variables {
    thresholds = { tasks_below_desired_minutes = 2.5 }
  }

  expect_failures = [var.thresholds]
}

run "a_non_positive_budget_is_refused" {
  command = plan

  variables {
    monthly_budget_usd = 0
  }

  expect_failures = [var.monthly_budget_usd]
}

run "queues_must_match_the_consuming_services" {
  command = plan

  variables {
    queues = {
      orders = { queue_name = "bazaar-test-orders", dlq_name = "bazaar-test-orders-dlq" }
    }
  }

  expect_failures = [var.queues]
}

run "a_service_without_its_ecs_name_is_refused" {
  command = plan

  variables {
    ecs_service_names = { orders = "bazaar-test-orders", inventory = "bazaar-test-inventory" }
  }

  expect_failures = [var.ecs_service_names]
}

run "saved_queries_can_be_left_out_on_an_emulator" {
  command = plan

  variables {
    enable_saved_queries = false
  }

  assert {
    condition     = length(aws_cloudwatch_query_definition.this) == 0 && length(output.query_definition_names) == 0
    error_message = "enable_saved_queries = false saves no query."
  }
}

run "the_archive_writer_alarms_when_the_archive_falls_behind" {
  command = plan

  variables {
    event_archive_access = { audit = "writer", orders = "reader" }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.archive_lag["audit"].alarm_name == "bazaar-test-event-archive-lag" &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].metric_name == "bazaar.archive.lag" &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].dimensions == tomap({ "service.name" = "audit" }) &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].statistic == "Maximum" &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].threshold == 300 &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].evaluation_periods == 5 &&
      aws_cloudwatch_metric_alarm.archive_lag["audit"].treat_missing_data == "missing"
    )
    error_message = "The archive writer's lag alarms past 300 s for 5 minutes, on audit's gauge."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_metric_alarm.archive_lag["audit"].alarm_description, "docs/runbook.md (Alarms: <prefix>-event-archive-lag)")
    error_message = "The alarm points at its runbook entry."
  }
}

run "without_an_archive_there_is_no_archive_alarm" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.archive_lag) == 0
    error_message = "No writer, no archive lag alarm."
  }
}

run "only_the_writer_is_alarmed_on" {
  command = plan

  variables {
    event_archive_access = { orders = "reader" }
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.archive_lag) == 0
    error_message = "A reader records no archive lag."
  }
}

run "an_archive_writer_the_catalog_lacks_is_refused" {
  command = plan

  variables {
    event_archive_access = { loyalty = "writer" }
  }

  expect_failures = [var.event_archive_access]
}
