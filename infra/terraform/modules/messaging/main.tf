# The event backbone of bazaar_common.messaging: one bus; per consuming
# service a queue with its DLQ and one rule matching the detail-types it
# takes off the bus (its point-to-point types only when an archive replays
# them: the relays send those straight to the queue, docs/adr/0017). The same resources, with the same names and settings, as
# bazaar_common.messaging.provisioning creates on the local emulator;
# tests/terraform/test_local_apply.py compares the two on moto. The alarms on
# the queues (DLQ not empty, oldest message) are in modules/observability.

locals {
  # EventBridge delivers entries of at most 256 KB, so nothing larger arrives;
  # said explicitly because SQS's own default has changed over time.
  max_message_bytes = 262144
}

resource "aws_cloudwatch_event_bus" "this" {
  name = var.bus_name
  tags = var.tags
}

resource "aws_sqs_queue" "dlq" {
  for_each = var.queues

  name                      = each.value.dlq_name
  message_retention_seconds = var.dlq_retention_seconds
  max_message_size          = local.max_message_bytes
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues

  name                       = each.value.queue_name
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  message_retention_seconds  = var.queue_retention_seconds
  max_message_size           = local.max_message_bytes
  # Long polling: the consumer's ReceiveMessage waits up to 20 s for work.
  receive_wait_time_seconds = 20
  # SSE-SQS: EventBridge can deliver to it without a KMS key policy grant.
  sqs_managed_sse_enabled = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive_count
  })
  tags = var.tags
}

# Only the DLQ's own queue may dead-letter into it. Off against moto, which
# does not keep RedriveAllowPolicy (the provider would wait for it forever).
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = var.restrict_dlq_sources ? var.queues : {}

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this[each.key].arn]
  })
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = var.queues

  name           = each.value.rule_name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  description    = "Events ${each.key} consumes, to its queue"
  event_pattern  = each.value.event_pattern
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = var.queues

  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = each.value.queue_name
  arn            = aws_sqs_queue.this[each.key].arn
}

# Of services, only this service's rule on this bus is named here. The relays
# that send to the queue point to point are task roles of this account: their
# identity policy (modules/service, point_to_point_queue_arns) allows
# sqs:SendMessage to exactly these queues, and within one account either
# policy allowing is enough.
resource "aws_sqs_queue_policy" "this" {
  for_each = var.queues

  queue_url = aws_sqs_queue.this[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "FromEventBridgeRule"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.this[each.key].arn
      Condition = { ArnLike = { "aws:SourceArn" = aws_cloudwatch_event_rule.this[each.key].arn } }
    }]
  })
}
