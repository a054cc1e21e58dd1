# prod's sizes. Everything not here is the same in every environment.
vpc_cidr = "10.30.0.0/16"
az_count = 3

# One NAT gateway per AZ: an AZ outage cuts only that AZ's egress.
single_nat_gateway = false
db_min_capacity    = 1
db_max_capacity    = 16

# A writer and a reader in another AZ to fail over to.
db_instance_count   = 2
deletion_protection = true
final_snapshot      = true
enable_waf          = true
enable_autoscaling  = true
# Two tasks per service at the least, in two zones: a zone or a task replacement never takes a service down.
min_tasks_per_service = 2
log_retention_days    = 365

# No Spot: a reclaim must never take capacity away from customers.
fargate_spot_weight = 0

# Graviton: cheaper per vCPU and GB than x86 (make cost); deploy.yml builds
# every image for linux/amd64 and linux/arm64.
cpu_architecture = "ARM64"

# How far back the bus's events can be replayed after a restore
# (docs/disaster-recovery.md).
event_archive_retention_days = 90

# The event archive (every event, in S3: modules/event-archive): for a year no one,
# root included, can delete or shorten the lock of an archived event (COMPLIANCE;
# the platform refuses less in prod). Nothing expires it afterwards.
event_archive_bucket_lock_mode = "COMPLIANCE"
event_archive_bucket_lock_days = 365

# The AWS Budgets limit the alarm topic hears about (80 % actual, 100 %
# forecast): above make cost's low estimate for this environment, with room
# for its usage to grow before anyone is paged.
monthly_budget_usd = 1500

# 35 days of point-in-time recovery (Aurora's maximum, managed by AWS
# Backup's continuous rule), daily snapshots kept 90 days and copied to the
# second region's vault (BACKUP_COPY_VAULT_ARN), a vault lock nobody can
# shorten them under.
db_backup_retention_days = 35
aws_backup = {
  daily_retention_days = 90
  continuous           = true
  copy_retention_days  = 90
  vault_lock_min_days  = 7
}

# The account's audit trail (CloudTrail, AWS Config and its rules) is
# account-wide: in the bootstrap's one account for every environment, prod
# keeps it (its logs outlive dev's teardowns). With an account per
# environment, set true in each.
manage_account_audit = true
