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
waf_rate_limit      = 2000
enable_autoscaling  = true
# Two tasks per service at the least, in two zones: a zone or a task replacement never takes a service down.
min_tasks_per_service = 2
log_retention_days    = 365

# No Spot: a reclaim must never take capacity away from customers.
fargate_spot_weight = 0
