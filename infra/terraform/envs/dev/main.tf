# The dev environment: the platform module with dev's sizes
# (terraform.tfvars). Everything else is the same in every environment.

# dev is disposable: deletion protection would block its routine teardown (staging and prod keep it on).
#trivy:ignore:AVD-AWS-0343
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

module "platform" {
  #checkov:skip=CKV_AWS_150:dev is disposable; deletion protection would block its routine teardown (staging and prod keep it on).
  #checkov:skip=CKV_AWS_139:dev is disposable; deletion protection would block its routine teardown (staging and prod keep it on).
  #checkov:skip=CKV_AWS_338:dev keeps logs 30 days to save cost; staging and prod keep them 365.
  source = "../../modules/platform"

  name        = "bazaar-dev"
  environment = "dev"
  region      = var.region

  image_tags      = var.image_tags
  certificate_arn = var.certificate_arn
  # Empty (a GitHub variable not set) is none.
  api_domain_name = try(coalesce(var.api_domain_name), null)
  route53_zone_id = try(coalesce(var.route53_zone_id), null)
  # The browser app behind CloudFront (modules/web): its own name only when
  # terraform.tfvars gives one.
  web_aliases         = var.web_aliases
  web_certificate_arn = var.web_certificate_arn
  # Empty (a GitHub variable not set) is no subscription.
  alarm_subscriptions = var.alarm_email == "" ? [] : [{ protocol = "email", endpoint = var.alarm_email }]
  monthly_budget_usd  = var.monthly_budget_usd

  vpc_cidr           = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
  db_min_capacity    = var.db_min_capacity
  db_max_capacity    = var.db_max_capacity
  db_instance_count  = var.db_instance_count

  db_seconds_until_auto_pause = var.db_seconds_until_auto_pause
  db_backup_retention_days    = var.db_backup_retention_days
  aws_backup                  = var.aws_backup
  # Empty (a GitHub variable not set) is no copy.
  backup_copy_vault_arn       = try(coalesce(var.backup_copy_vault_arn), null)
  deletion_protection         = var.deletion_protection
  final_snapshot              = var.final_snapshot
  enable_waf                  = var.enable_waf
  waf_rate_limit              = var.waf_rate_limit
  waf_rate_limit_exempt_cidrs = var.waf_rate_limit_exempt_cidrs
  enable_autoscaling          = var.enable_autoscaling
  # The bootstrap's boundary for every role the platform makes (the deploy
  # role may create none without it).
  workload_permissions_boundary_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy/bazaar-dev-workload-boundary"

  min_tasks_per_service = var.min_tasks_per_service
  log_retention_days    = var.log_retention_days
  fargate_spot_weight   = var.fargate_spot_weight
  cpu_architecture      = var.cpu_architecture

  event_archive_retention_days = var.event_archive_retention_days
  # The S3 archive of every event; audit writes it (the platform's event_archive_bucket_access).
  event_archive_bucket_lock_mode = var.event_archive_bucket_lock_mode
  event_archive_bucket_lock_days = var.event_archive_bucket_lock_days
  manage_account_audit           = var.manage_account_audit

  allow_admin_password_auth = var.allow_admin_password_auth
}
