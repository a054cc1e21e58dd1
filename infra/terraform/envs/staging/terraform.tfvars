# staging's sizes. Everything not here is the same in every environment.
vpc_cidr           = "10.20.0.0/16"
az_count           = 2
single_nat_gateway = true
db_min_capacity    = 0.5
db_max_capacity    = 4
db_instance_count  = 1

# Holds data worth keeping between releases.
deletion_protection = true
final_snapshot      = true
enable_waf          = true
enable_autoscaling  = true
# As prod: two tasks per service in two zones, so a release is tested the way prod runs it.
min_tasks_per_service = 2
log_retention_days    = 365

# The first task of each service on FARGATE, half of the rest on Spot.
fargate_spot_weight = 1

# deploy.yml's load test runs against staging before prod.
allow_admin_password_auth = true

# Graviton: cheaper per vCPU and GB than x86 (make cost); deploy.yml builds
# every image for linux/amd64 and linux/arm64.
cpu_architecture = "ARM64"

# How far back the bus's events can be replayed after a restore
# (docs/disaster-recovery.md).
event_archive_retention_days = 30

# The event archive (every event, in S3: modules/event-archive): worth keeping
# between releases, but test data, which an administrator may remove (GOVERNANCE).
event_archive_bucket_lock_mode = "GOVERNANCE"
event_archive_bucket_lock_days = 90

# The AWS Budgets limit the alarm topic hears about (80 % actual, 100 %
# forecast): above make cost's low estimate for this environment, with room
# for its usage to grow before anyone is paged.
monthly_budget_usd = 700

# A week of point-in-time recovery, and daily snapshots kept five weeks.
db_backup_retention_days = 7
aws_backup = {
  daily_retention_days = 35
}

# The account's audit trail (CloudTrail, AWS Config) is prod's in the
# bootstrap's one account for every environment; with an account of its
# own, set true here.
manage_account_audit = false
