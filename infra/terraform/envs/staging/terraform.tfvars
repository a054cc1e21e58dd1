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
waf_rate_limit      = 2000
enable_autoscaling  = true
# As prod: two tasks per service in two zones, so a release is tested the way prod runs it.
min_tasks_per_service = 2
log_retention_days    = 365

# The first task of each service on FARGATE, half of the rest on Spot.
fargate_spot_weight = 1

# deploy.yml's load test runs against staging before prod.
allow_admin_password_auth = true
