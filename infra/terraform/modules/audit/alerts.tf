# A message to the alarm topic each time one of this module's rules finds a
# resource NON_COMPLIANT. Config publishes every evaluation change to the
# account's default event bus; only changes to NON_COMPLIANT of these rules
# (not of rules an organisation may run in the account) are sent.

locals {
  noncompliant_event_pattern = {
    source        = ["aws.config"]
    "detail-type" = ["Config Rules Compliance Change"]
    detail = {
      messageType    = ["ComplianceChangeNotification"]
      configRuleName = sort([for key in keys(local.managed_rules) : "${var.name}-${key}"])
      newEvaluationResult = {
        complianceType = ["NON_COMPLIANT"]
      }
    }
  }
}

resource "aws_cloudwatch_event_rule" "noncompliant" {
  name           = "${var.name}-config-noncompliant"
  description    = "A ${var.name} AWS Config rule found a resource NON_COMPLIANT."
  event_bus_name = "default"
  event_pattern  = jsonencode(local.noncompliant_event_pattern)

  tags = merge(var.tags, { Name = "${var.name}-config-noncompliant" })
}

resource "aws_cloudwatch_event_target" "noncompliant" {
  rule           = aws_cloudwatch_event_rule.noncompliant.name
  event_bus_name = aws_cloudwatch_event_rule.noncompliant.event_bus_name
  target_id      = "alarm-topic"
  arn            = var.alarm_topic_arn

  # Plain text for an e-mail subscription: one quoted string per line, as
  # EventBridge's string templates take them.
  input_transformer {
    input_paths = {
      rule          = "$.detail.configRuleName"
      resource_type = "$.detail.resourceType"
      resource_id   = "$.detail.resourceId"
      account       = "$.detail.awsAccountId"
      region        = "$.detail.awsRegion"
      time          = "$.time"
    }
    input_template = <<-EOT
      "AWS Config rule <rule> found a resource NON_COMPLIANT."
      "Resource type: <resource_type>"
      "Resource ID:   <resource_id>"
      "Account:       <account>"
      "Region:        <region>"
      "Time (UTC):    <time>"
      "Details: https://console.aws.amazon.com/config/home?region=<region>#/rules/details?configRuleName=<rule>"
    EOT
  }
}
