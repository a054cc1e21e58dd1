# The task role: what the app and its collector call. Each statement names
# the code that needs it.

# Only ECS tasks of this account and region may assume it (the confused
# deputy conditions of the ECS task role documentation).
data "aws_iam_policy_document" "task_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task" {
  name                 = "${local.full_name}-task"
  description          = "ECS task role of ${local.full_name}: its queue, the bus, telemetry."
  assume_role_policy   = data.aws_iam_policy_document.task_assume.json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "task" {
  # bazaar_common.messaging.runtime and .consumer: GetQueueUrl by name, then
  # receive, extend visibility (heartbeat), delete once handled.
  dynamic "statement" {
    for_each = local.consumes ? [var.queue_arn] : []

    content {
      sid = "ConsumeOwnQueue"
      actions = [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ]
      resources = [statement.value]
    }
  }

  # runtime._report_dlq_depth logs the DLQ's depth every minute.
  dynamic "statement" {
    for_each = local.consumes ? [var.dlq_arn] : []

    content {
      sid       = "ReadOwnDlqDepth"
      actions   = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
      resources = [statement.value]
    }
  }

  # bazaar_common.messaging.dlq (list/inspect/redrive, run in a task through
  # ECS Exec): it receives every dead letter, releases the ones it keeps
  # (ChangeMessageVisibilityBatch) and deletes the ones it moved; the move
  # itself is a SendMessage to the source queue. SQS moves messages into the
  # DLQ itself, so nothing here may send to the DLQ.
  dynamic "statement" {
    for_each = local.consumes && var.allow_dlq_redrive ? [var.dlq_arn] : []

    content {
      sid       = "RedriveFromOwnDlq"
      actions   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.consumes && var.allow_dlq_redrive ? [var.queue_arn] : []

    content {
      sid       = "RedriveToOwnQueue"
      actions   = ["sqs:SendMessage"]
      resources = [statement.value]
    }
  }

  # bazaar_common.messaging.publisher: the outbox relay's PutEvents. Only a
  # service that publishes runs a relay.
  dynamic "statement" {
    for_each = local.publishes ? [var.bus_arn] : []

    content {
      sid       = "PublishToBus"
      actions   = ["events:PutEvents"]
      resources = [statement.value]
    }
  }

  # bazaar_common.messaging.relay_publisher and .sqs_sender: the relay looks
  # up each point-to-point receiver's queue once (GetQueueUrl), then sends
  # with SendMessageBatch (authorised as sqs:SendMessage). Only the queues of
  # the types this service sends point to point; the queues' own policies
  # name only their rule, and within the account this identity policy is
  # what allows the relay.
  dynamic "statement" {
    for_each = length(local.point_to_point_queue_arns) > 0 ? [local.point_to_point_queue_arns] : []

    content {
      sid       = "SendPointToPoint"
      actions   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
      resources = statement.value
    }
  }

  # SSE-KMS queues and bus: Decrypt to receive, GenerateDataKey to send
  # (redrive) and publish.
  dynamic "statement" {
    for_each = length(var.kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "UseMessagingKeys"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = var.kms_key_arns
    }
  }

  # The ADOT sidecar's awsxray exporter. AWS requires "*": X-Ray has no
  # resource-level permissions for these actions.
  statement {
    sid       = "AdotTraces"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }

  # The awsemf exporter (telemetry.tf) writes EMF lines into the service's
  # metrics log group, which Terraform made: CloudWatch derives the metrics
  # from them, so no cloudwatch:PutMetricData and no logs:CreateLogGroup.
  statement {
    sid = "AdotEmfLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    # Built from the name, not the resource's arn: known at plan, so the
    # whole policy can be read (and tested) before apply.
    resources = [
      local.metrics_log_group_arn,
      "${local.metrics_log_group_arn}:log-stream:*",
    ]
  }

  # ECS Exec's SSM agent channels. AWS requires "*": ssmmessages has no
  # resource-level permissions.
  dynamic "statement" {
    for_each = var.enable_execute_command ? [1] : []

    content {
      sid = "EcsExec"
      actions = [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]
      resources = ["*"]
    }
  }

  # The cluster logs and encrypts exec sessions: the agent in the task writes
  # the transcript and opens the encrypted channel as the task role.
  dynamic "statement" {
    for_each = var.enable_execute_command && var.exec_log_group_arn != null ? [var.exec_log_group_arn] : []

    content {
      sid       = "EcsExecSessionLogs"
      actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      resources = [statement.value, "${statement.value}:log-stream:*"]
    }
  }

  # AWS requires "*": DescribeLogGroups has no resource-level permission, and
  # the agent calls it before writing a session log.
  dynamic "statement" {
    for_each = var.enable_execute_command && var.exec_log_group_arn != null ? [1] : []

    content {
      sid       = "EcsExecDescribeLogGroups"
      actions   = ["logs:DescribeLogGroups"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_execute_command && var.exec_kms_key_arn != null ? [var.exec_kms_key_arn] : []

    content {
      sid       = "EcsExecSessionKey"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "${local.full_name}-task"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# What the environment grants one service beyond its messaging and
# telemetry (task_role_policies: e.g. the event archive's writer policy for
# audit), each an inline policy of its own, so one never rewrites another.
resource "aws_iam_role_policy" "extra" {
  for_each = var.task_role_policies

  name   = "${local.full_name}-${each.key}"
  role   = aws_iam_role.task.id
  policy = each.value
}
