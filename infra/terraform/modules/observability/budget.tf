# The environment's monthly cost budget, notifying the alarms topic. It
# counts only costs tagged environment = <environment> (the envs' provider
# default_tags set it on every resource). A tag counts in Cost Explorer and
# Budgets only once it is activated as a cost allocation tag (Billing >
# Cost allocation tags, in the payer account), and only from then on: until
# then this budget sees nothing and never notifies.

resource "aws_budgets_budget" "monthly" {
  count = var.monthly_budget_usd == null ? 0 : 1

  # Named, not left to the provider: it takes the account from its own
  # configuration, which an emulator's (skip_requesting_account_id) lacks.
  account_id = local.account_id

  name         = "${var.name}-monthly"
  budget_type  = "COST"
  time_unit    = "MONTHLY"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"

  cost_filter {
    name = "TagKeyValue"
    # user:<key>$<value>; "$" before "{" would be an escape in HCL.
    values = [format("user:environment$%s", var.environment)]
  }

  # Budgets compares only GREATER_THAN (or LESS_THAN, EQUAL_TO): "above".
  notification {
    notification_type         = "ACTUAL"
    comparison_operator       = "GREATER_THAN"
    threshold                 = var.budget_alert_thresholds.actual_percent
    threshold_type            = "PERCENTAGE"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }

  notification {
    notification_type         = "FORECASTED"
    comparison_operator       = "GREATER_THAN"
    threshold                 = var.budget_alert_thresholds.forecasted_percent
    threshold_type            = "PERCENTAGE"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }

  tags = var.tags

  # Budgets checks at creation that it may publish to the topic.
  depends_on = [aws_sns_topic_policy.alarms]
}
