# A backup job that failed, was aborted or expired before it could start, to
# the alarm topic: AWS Backup's own vault notifications can only say
# "completed" (success or not), which would mail every night's success.
resource "aws_cloudwatch_event_rule" "backup_failed" {
  name        = "${var.name}-backup-failed"
  description = "A backup job of the ${var.name} vault failed, was aborted or expired."

  event_pattern = jsonencode({
    source        = ["aws.backup"]
    "detail-type" = ["Backup Job State Change"]
    detail = {
      backupVaultName = [var.name]
      state           = ["FAILED", "ABORTED", "EXPIRED"]
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "backup_failed" {
  rule = aws_cloudwatch_event_rule.backup_failed.name
  arn  = var.sns_topic_arn

  input_transformer {
    input_paths = {
      state    = "$.detail.state"
      resource = "$.detail.resourceArn"
      message  = "$.detail.statusMessage"
      job      = "$.detail.backupJobId"
      time     = "$.time"
    }
    input_template = "\"Backup job <job> of <resource> ended <state> at <time>: <message>. See docs/disaster-recovery.md.\""
  }
}
