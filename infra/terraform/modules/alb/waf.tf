# WAFv2 in front of the ALB: a per-IP rate limit first (cheapest, stops
# floods before the managed rules are evaluated), then AWS's common and
# known-bad-inputs rule sets. Logged to CloudWatch, encrypted with a CMK.

locals {
  # The rate rule's numbers live in rate_limit.json, not here: the local
  # gateway reads the same file, so the two limits cannot drift apart.
  rate_limit = jsondecode(file("${path.module}/rate_limit.json"))
  # An environment may still set its own (null: the file's).
  waf_rate_limit = coalesce(var.waf_rate_limit, local.rate_limit.requests_per_ip)
  # The problem body WAF answers a blocked client with, keyed on the web ACL.
  too_many_requests_body = "too-many-requests"

  waf_count          = var.enable_waf ? 1 : 0
  rate_limit_exempt  = var.enable_waf && length(var.waf_rate_limit_exempt_cidrs) > 0 ? 1 : 0
  waf_log_group_name = "aws-waf-logs-${var.name}" # WAF requires the aws-waf-logs- prefix.
  waf_log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.waf_log_group_name}"
}

data "aws_iam_policy_document" "waf_logs_key" {
  count = local.waf_count

  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; the account root keeps administration as AWS requires.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; write access is limited to the account and CloudWatch Logs for this log group.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is the key itself.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsUsesForWafLogGroup"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.waf_log_group_arn]
    }
  }
}

resource "aws_kms_key" "waf_logs" {
  count = local.waf_count

  description             = "${var.name} WAF logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.waf_logs_key[0].json

  tags = var.tags
}

resource "aws_kms_alias" "waf_logs" {
  count = local.waf_count

  name          = "alias/${var.name}-waf-logs"
  target_key_id = aws_kms_key.waf_logs[0].key_id
}

resource "aws_cloudwatch_log_group" "waf" {
  count = local.waf_count

  name              = local.waf_log_group_name
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = aws_kms_key.waf_logs[0].arn

  tags = var.tags
}

# WAF delivers to CloudWatch Logs as delivery.logs.amazonaws.com. Written
# here rather than left to WAF, so it exists without the deployer holding
# logs:PutResourcePolicy at association time and is removed with the module.
data "aws_iam_policy_document" "waf_log_delivery" {
  count = local.waf_count

  statement {
    sid       = "WafLogDelivery"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.waf_log_group_arn}:log-stream:*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "waf" {
  count = local.waf_count

  policy_name     = "${var.name}-waf-log-delivery"
  policy_document = data.aws_iam_policy_document.waf_log_delivery[0].json
}

# Addresses the rate rule does not count (a load generator's fixed egress),
# as the local gateway's --rate-limit-exempt. Only when some are given: an
# empty IP set would be one more resource doing nothing.
resource "aws_wafv2_ip_set" "rate_limit_exempt" {
  count = local.rate_limit_exempt

  name               = "${var.name}-rate-limit-exempt"
  description        = "${var.name}: clients the per-IP rate limit does not count"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = var.waf_rate_limit_exempt_cidrs

  tags = var.tags
}

resource "aws_wafv2_web_acl" "this" {
  count = local.waf_count

  name        = "${var.name}-alb"
  description = "${var.name} public load balancer"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  # RFC 9457's shape, as the services' and the local gateway's problems (no
  # request_id: WAF cannot fill one in). WAF's content types are text/plain,
  # text/html and application/json only, so not application/problem+json.
  custom_response_body {
    key          = local.too_many_requests_body
    content_type = "APPLICATION_JSON"
    content = jsonencode({
      type   = "https://bazaar.dev/problems/too-many-requests"
      title  = "Too Many Requests"
      status = 429
      detail = "More than ${local.waf_rate_limit} requests from this address in ${local.rate_limit.window_seconds} seconds."
    })
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0

    # 429 with Retry-After, not WAF's default 403: a client (and the load
    # test) can tell "slow down" from "forbidden".
    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = local.too_many_requests_body

          response_header {
            name  = "Retry-After"
            value = tostring(local.rate_limit.retry_after_seconds)
          }
        }
      }
    }

    statement {
      rate_based_statement {
        limit                 = local.waf_rate_limit
        evaluation_window_sec = local.rate_limit.window_seconds
        aggregate_key_type    = "IP"

        dynamic "scope_down_statement" {
          for_each = aws_wafv2_ip_set.rate_limit_exempt

          content {
            not_statement {
              statement {
                ip_set_reference_statement {
                  arn = scope_down_statement.value.arn
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common-rule-set"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        dynamic "rule_action_override" {
          for_each = toset(var.waf_common_rule_set_count_only)

          content {
            name = rule_action_override.value

            action_to_use {
              count {}
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-aws-common-rule-set"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-alb"
    sampled_requests_enabled   = true
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition = (
        local.waf_rate_limit >= 10 && local.waf_rate_limit <= 2000000000
        && contains([60, 120, 300, 600], local.rate_limit.window_seconds)
        && local.rate_limit.retry_after_seconds >= 1
      )
      error_message = "rate_limit.json: requests_per_ip must be 10 to 2,000,000,000, window_seconds one of WAF's 60, 120, 300, 600, retry_after_seconds at least 1."
    }
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = local.waf_count

  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count = local.waf_count

  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]

  # Tokens and cookies are credentials; keep them out of the logs.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }

  depends_on = [aws_cloudwatch_log_resource_policy.waf]
}
