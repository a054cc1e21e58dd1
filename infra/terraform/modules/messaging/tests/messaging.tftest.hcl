# terraform test: the backbone from a small topology, on a mocked provider.

mock_provider "aws" {
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:event-bus/bazaar-test"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:mocked"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/bazaar-test/mocked"
    }
  }
}

variables {
  bus_name = "bazaar-test"
  queues = {
    orders = {
      queue_name                 = "bazaar-test-orders"
      dlq_name                   = "bazaar-test-orders-dlq"
      rule_name                  = "bazaar-test-to-orders"
      detail_types               = ["StockReserved", "PaymentCaptured"]
      point_to_point_types       = ["StockReserved", "PaymentCaptured"]
      event_pattern              = "{\"detail-type\":[\"PaymentCaptured\",\"StockReserved\"],\"replay-name\":[{\"exists\":true}]}"
      max_receive_count          = 5
      visibility_timeout_seconds = 10
    }
    audit = {
      queue_name                 = "bazaar-test-audit"
      dlq_name                   = "bazaar-test-audit-dlq"
      rule_name                  = "bazaar-test-to-audit"
      detail_types               = ["OrderPlaced"]
      point_to_point_types       = []
      event_pattern              = "{\"detail-type\":[\"OrderPlaced\"]}"
      max_receive_count          = 3
      visibility_timeout_seconds = 30
    }
  }
}

run "every_consumer_gets_a_queue_a_dlq_and_a_rule_on_the_bus" {
  command = apply

  assert {
    condition     = toset(keys(aws_sqs_queue.this)) == toset(["orders", "audit"]) && toset(keys(aws_sqs_queue.dlq)) == toset(["orders", "audit"])
    error_message = "One queue and one DLQ per consuming service."
  }

  assert {
    condition     = aws_sqs_queue.this["orders"].name == "bazaar-test-orders" && aws_sqs_queue.dlq["orders"].name == "bazaar-test-orders-dlq"
    error_message = "Queue names come from the topology."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.this["orders"].event_bus_name == "bazaar-test"
    error_message = "Rules sit on the environment's bus, not the default one."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["audit"].event_pattern) == { "detail-type" = ["OrderPlaced"] }
    error_message = "A rule matches exactly the detail-types its service takes off the bus."
  }

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.this["orders"].event_pattern) == {
      "detail-type" = ["PaymentCaptured", "StockReserved"]
      "replay-name" = [{ exists = true }]
    }
    error_message = "A rule takes its service's point-to-point types only when an archive replays them: the relays send them to the queue."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["audit"].arn == aws_sqs_queue.this["audit"].arn
    error_message = "A rule delivers to its service's queue."
  }
}

run "queues_redrive_to_their_dlq_and_are_encrypted" {
  command = apply

  assert {
    condition     = jsondecode(aws_sqs_queue.this["audit"].redrive_policy).maxReceiveCount == 3
    error_message = "maxReceiveCount comes from the catalog."
  }

  assert {
    condition     = aws_sqs_queue.this["orders"].visibility_timeout_seconds == 10 && aws_sqs_queue.this["orders"].receive_wait_time_seconds == 20
    error_message = "The catalog's visibility timeout, and long polling."
  }

  assert {
    condition     = alltrue([for queue in concat(values(aws_sqs_queue.this), values(aws_sqs_queue.dlq)) : queue.sqs_managed_sse_enabled])
    error_message = "Every queue is encrypted at rest."
  }

  assert {
    condition     = aws_sqs_queue.dlq["orders"].message_retention_seconds == 1209600
    error_message = "Dead letters stay 14 days by default."
  }
}

run "only_the_rule_may_send_to_its_queue" {
  command = apply

  assert {
    condition = alltrue([
      for service, policy in aws_sqs_queue_policy.this :
      jsondecode(policy.policy).Statement[0].Principal.Service == "events.amazonaws.com" &&
      jsondecode(policy.policy).Statement[0].Action == "sqs:SendMessage" &&
      jsondecode(policy.policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == aws_cloudwatch_event_rule.this[service].arn
    ])
    error_message = "Each queue policy admits EventBridge for its own rule only."
  }
}

run "a_queue_without_detail_types_is_refused" {
  command = plan

  variables {
    queues = {
      idle = {
        queue_name                 = "bazaar-test-idle"
        dlq_name                   = "bazaar-test-idle-dlq"
        rule_name                  = "bazaar-test-to-idle"
        detail_types               = []
        point_to_point_types       = []
        event_pattern              = "{\"detail-type\":[]}"
        max_receive_count          = 5
        visibility_timeout_seconds = 30
      }
    }
  }

  expect_failures = [var.queues]
}

run "a_point_to_point_type_the_queue_does_not_consume_is_refused" {
  command = plan

  variables {
    queues = {
      stray = {
        queue_name                 = "bazaar-test-stray"
        dlq_name                   = "bazaar-test-stray-dlq"
        rule_name                  = "bazaar-test-to-stray"
        detail_types               = ["OrderPlaced"]
        point_to_point_types       = ["ReserveStock"]
        event_pattern              = "{\"detail-type\":[\"OrderPlaced\"]}"
        max_receive_count          = 5
        visibility_timeout_seconds = 30
      }
    }
  }

  expect_failures = [var.queues]
}

run "the_default_bus_is_refused" {
  command = plan

  variables {
    bus_name = "default"
  }

  expect_failures = [var.bus_name]
}

run "each_dlq_admits_only_its_own_queue" {
  command = apply

  assert {
    condition     = length(aws_sqs_queue_redrive_allow_policy.dlq) == 2 && jsondecode(aws_sqs_queue_redrive_allow_policy.dlq["orders"].redrive_allow_policy).redrivePermission == "byQueue"
    error_message = "Every DLQ restricts who may dead-letter into it."
  }
}

run "the_redrive_allow_policy_can_be_left_out_for_moto" {
  command = plan

  variables {
    restrict_dlq_sources = false
  }

  assert {
    condition     = length(aws_sqs_queue_redrive_allow_policy.dlq) == 0
    error_message = "restrict_dlq_sources = false creates no redrive allow policy."
  }
}

run "no_archive_unless_a_retention_is_given" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_event_archive.this) == 0
    error_message = "A bus without archive_retention_days has no archive."
  }
}

run "the_archive_keeps_every_event_of_the_bus" {
  command = apply

  variables {
    archive_retention_days = 90
  }

  assert {
    condition     = aws_cloudwatch_event_archive.this[0].retention_days == 90 && aws_cloudwatch_event_archive.this[0].event_source_arn == aws_cloudwatch_event_bus.this.arn
    error_message = "One archive of this bus, kept archive_retention_days."
  }

  assert {
    condition     = aws_cloudwatch_event_archive.this[0].event_pattern == null
    error_message = "The archive has no pattern: every event is kept."
  }
}

run "a_fractional_archive_retention_is_refused" {
  command = plan

  variables {
    archive_retention_days = 1.5
  }

  expect_failures = [var.archive_retention_days]
}
