# The account's audit trail and the platform's promises checked by AWS
# Config: who changed what (CloudTrail, object-locked), what every resource
# looked like, and a message to the alarm topic when a resource breaks a
# rule (encryption, public or plain-HTTP buckets, deletion protection,
# non-root read-only tasks, admin policies).
#
# All of it is the account's, not the environment's: a region holds one
# Config recorder per account, and the rules judge every resource of the
# account. So where environments share an account (the bootstrap's default),
# exactly one keeps it (manage_account_audit); with an account per
# environment, each does.

module "audit" {
  source = "../audit"
  count  = var.manage_account_audit ? 1 : 0

  name            = var.name
  alarm_topic_arn = module.observability.topic_arn

  # Kept as long as the environment's logs; dev's may be thrown away with
  # it (GOVERNANCE: removable with s3:BypassGovernanceRetention), staging's
  # and prod's not even by an administrator (COMPLIANCE).
  retention_days      = var.log_retention_days
  object_lock_mode    = local.disposable ? "GOVERNANCE" : "COMPLIANCE"
  force_destroy       = local.disposable
  deletion_protection = var.deletion_protection

  tags = var.tags
}
