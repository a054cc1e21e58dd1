# The prod environment: the platform module with prod's sizes
# (terraform.tfvars). Everything else is the same in every environment.

module "platform" {
  source = "../../modules/platform"

  name        = "bazaar-prod"
  environment = "prod"
  region      = var.region

  image_tags      = var.image_tags
  certificate_arn = var.certificate_arn
  alarm_actions   = var.alarm_actions

  vpc_cidr            = var.vpc_cidr
  az_count            = var.az_count
  single_nat_gateway  = var.single_nat_gateway
  db_min_capacity     = var.db_min_capacity
  db_max_capacity     = var.db_max_capacity
  db_instance_count   = var.db_instance_count
  deletion_protection = var.deletion_protection
  final_snapshot      = var.final_snapshot
  enable_waf          = var.enable_waf
  waf_rate_limit      = var.waf_rate_limit
  enable_autoscaling  = var.enable_autoscaling
  log_retention_days  = var.log_retention_days
  fargate_spot_weight = var.fargate_spot_weight

  allow_admin_password_auth = var.allow_admin_password_auth
}
