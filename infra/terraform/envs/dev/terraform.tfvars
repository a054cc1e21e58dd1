# dev's sizes. Everything not here is the same in every environment.
vpc_cidr           = "10.10.0.0/16"
az_count           = 2
single_nat_gateway = true
db_min_capacity    = 0.5
db_max_capacity    = 2
db_instance_count  = 1

# A throwaway environment: destroy removes everything, images and logs included.
deletion_protection = false
final_snapshot      = false
enable_waf          = true
waf_rate_limit      = 2000
enable_autoscaling  = true
# One task per service: dev's outages are the team's own.
min_tasks_per_service = 1
log_retention_days    = 30

# The first task of each service on FARGATE, three in four of the rest on Spot.
fargate_spot_weight = 3
