# The alarms topic: where every alarm of this module, the budget, and other
# modules' AWS Config (through EventBridge) and AWS Backup notifications go.
# Encrypted with its own key, because an AWS managed key (alias/aws/sns)
# cannot be granted to the AWS services that publish here.

locals {
  # The AWS services whose publishes carry aws:SourceAccount and
  # aws:SourceArn (CloudWatch alarms, EventBridge rules, Budgets), so the
  # topic policy can hold them to this account's alarms, rules and budgets.
  # AWS Backup documents a plain statement (and refuses a topic of another
  # account itself): it gets one of its own below.
  publishers_with_source_account = {
    cloudwatch = {
      service    = "cloudwatch.amazonaws.com"
      source_arn = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*"
    }
    events = {
      service    = "events.amazonaws.com"
      source_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/*"
    }
    budgets = {
      service    = "budgets.amazonaws.com"
      source_arn = "arn:${local.partition}:budgets::${local.account_id}:*"
    }
  }
  backup_service = "backup.amazonaws.com"
}

data "aws_iam_policy_document" "topic_key" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; the account root keeps administration as AWS requires.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; the services may only use it for this topic's messages (encryption context).
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is the key itself.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # A publisher to an encrypted topic needs the key: SNS makes a data key for
  # the message under the publisher's principal. The encryption context keeps
  # every grant to this topic's messages.
  statement {
    sid       = "CloudWatchAlarmsEncryptForThisTopic"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # No aws:SourceAccount here: EventBridge documents that its KMS requests
  # for an encrypted SNS target do not carry it, and Budgets and Backup
  # document none for their key use. A condition on a key the request lacks
  # denies it, and the notification is dropped without an error anywhere.
  # The topic policy below holds these services to this account.
  statement {
    sid       = "OtherServicesEncryptForThisTopic"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "budgets.amazonaws.com", local.backup_service]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
    }
  }
}

resource "aws_kms_key" "topic" {
  description             = "${var.name} alarms topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.topic_key.json

  tags = var.tags
}

resource "aws_kms_alias" "topic" {
  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.topic.key_id
}

resource "aws_sns_topic" "alarms" {
  name              = local.topic_name
  display_name      = "${var.name} alarms"
  kms_master_key_id = aws_kms_key.topic.arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  dynamic "statement" {
    for_each = local.publishers_with_source_account

    content {
      sid       = "${title(statement.key)}Publishes"
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.alarms.arn]

      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [statement.value.source_arn]
      }
    }
  }

  statement {
    sid       = "BackupPublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = [local.backup_service]
    }
  }

  # Nothing may publish in plain text (the AWS services above use TLS).
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# Replaces SNS's default policy (account-wide access): principals of this
# account still publish and manage the topic through their IAM policies.
resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "alarms" {
  for_each = { for sub in var.alarm_subscriptions : "${sub.protocol}:${sub.endpoint}" => sub }

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
