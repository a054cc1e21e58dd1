# The S3 archive of every event (modules/event-archive): audit writes every
# event it receives there in batches, read models rebuild from it. Not the
# bus's EventBridge archive (module.messaging), which only keeps a window for
# start-replay.
#
# Who uses it is event_archive_bucket_access, catalog service => "writer" or
# "reader": each of them gets EVENT_ARCHIVE_BUCKET and the matching policy on
# its task role; every other service neither.

module "event_archive" {
  source = "../event-archive"

  name      = var.name
  lock_mode = var.event_archive_bucket_lock_mode
  lock_days = var.event_archive_bucket_lock_days
  # dev may be torn down (by an operator allowed the governance bypass:
  # force_destroy cannot delete what a lock still holds).
  force_destroy        = local.disposable
  enable_bucket_policy = var.enable_event_archive_bucket_policy

  tags = var.tags
}

locals {
  event_archive_policies = {
    writer = module.event_archive.writer_policy_json
    reader = module.event_archive.reader_policy_json
  }

  # By service: what it is given (service_inputs).
  event_archive_environment = {
    for svc in keys(var.event_archive_bucket_access) : svc => { EVENT_ARCHIVE_BUCKET = module.event_archive.bucket_name }
  }
  event_archive_task_policies = {
    for svc, access in var.event_archive_bucket_access : svc => { event-archive = local.event_archive_policies[access] }
  }
}
