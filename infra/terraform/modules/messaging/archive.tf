# Every event the bus carries, kept for archive_retention_days, so a
# consumer's queue can be refilled after a restore or a lost queue: `aws
# events start-replay` of a time window sends the archived events back to
# this bus, whose rules route them as the first time (a replayed event keeps
# its detail, so the consumers' inboxes drop those already handled).
# docs/disaster-recovery.md says which window to replay after a restore.
resource "aws_cloudwatch_event_archive" "this" {
  count = var.archive_retention_days == null ? 0 : 1

  name             = var.bus_name
  description      = "Every event of the ${var.bus_name} bus, for replay after a restore."
  event_source_arn = aws_cloudwatch_event_bus.this.arn
  retention_days   = var.archive_retention_days
}
