# dev's sizes. Everything not here is the same in every environment.
vpc_cidr           = "10.10.0.0/16"
az_count           = 2
single_nat_gateway = true
# db_min_capacity: below, with the auto-pause.
db_max_capacity   = 2
db_instance_count = 1

# A throwaway environment: destroy removes everything, images and logs included.
deletion_protection = false
final_snapshot      = false
enable_waf          = true
enable_autoscaling  = true
# One task per service: dev's outages are the team's own.
min_tasks_per_service = 1
log_retention_days    = 30

# The first task of each service on FARGATE, three in four of the rest on Spot.
fargate_spot_weight = 3

# Graviton: cheaper per vCPU and GB than x86 (make cost); deploy.yml builds
# every image for linux/amd64 and linux/arm64.
cpu_architecture = "ARM64"

# How far back the bus's events can be replayed after a restore
# (docs/disaster-recovery.md).
event_archive_retention_days = 7

# The event archive (every event, in S3: modules/event-archive): GOVERNANCE, so an
# operator allowed the bypass can still tear dev down; a month's lock against a
# script that would delete by mistake.
event_archive_bucket_lock_mode = "GOVERNANCE"
event_archive_bucket_lock_days = 30

# The AWS Budgets limit the alarm topic hears about (80 % actual, 100 %
# forecast): above make cost's low estimate for this environment, with room
# for its usage to grow before anyone is paged.
monthly_budget_usd = 400

# An idle dev database pauses after 15 minutes (0 ACUs, storage only; the
# first connection after waits for it to resume). Its backups are Aurora's
# own week of point-in-time recovery, no AWS Backup plan: dev is disposable.
db_min_capacity             = 0
db_seconds_until_auto_pause = 900
db_backup_retention_days    = 7

# The account's audit trail (CloudTrail, AWS Config) is prod's in the
# bootstrap's one account for every environment; with an account of its
# own, set true here.
manage_account_audit = false
