# The whole platform, exactly as dev, staging and prod compose it
# (modules/platform), applied to a moto server:
#
#   scripts/terraform.sh -chdir=infra/terraform/envs/moto init
#   scripts/terraform.sh -chdir=infra/terraform/envs/moto apply \
#     -var moto_url=http://127.0.0.1:5000 -var tasks_moto_url=http://moto:5000
#
# make test-platform applies it and runs what it rendered on Docker
# (tools/ecslocal). What moto does not implement is switched off below, by
# the platform's own documented variables, and listed in the output
# emulator_switches; the rest is the same code AWS gets.

provider "aws" {
  region = var.region
  # moto accepts any key; these are its documented fake ones, never real.
  access_key                  = "testing" #checkov:skip=CKV_AWS_41:moto's fake credentials for a local emulator, not a secret
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {
    acm              = var.moto_url
    appautoscaling   = var.moto_url
    backup           = var.moto_url
    budgets          = var.moto_url
    cloudtrail       = var.moto_url
    cloudwatch       = var.moto_url
    cognitoidp       = var.moto_url
    configservice    = var.moto_url
    ec2              = var.moto_url
    ecr              = var.moto_url
    ecs              = var.moto_url
    elb              = var.moto_url
    elbv2            = var.moto_url
    events           = var.moto_url
    iam              = var.moto_url
    kms              = var.moto_url
    logs             = var.moto_url
    rds              = var.moto_url
    s3               = var.moto_url
    secretsmanager   = var.moto_url
    servicediscovery = var.moto_url
    sns              = var.moto_url
    sqs              = var.moto_url
    sts              = var.moto_url
    wafv2            = var.moto_url
  }

  default_tags {
    tags = {
      project     = "bazaar"
      environment = "local"
      managed-by  = "terraform"
    }
  }
}

# The service names, which image_tags and the registry need.
module "catalog" {
  source          = "../../modules/catalog"
  resource_prefix = "bazaar-local"
}

# The environment's registry, as infra/terraform/registry makes it in AWS
# (there a root of its own, applied before the environment).
module "registry" {
  source       = "../../modules/ecr"
  name         = "bazaar-local"
  services     = module.catalog.services
  force_delete = true
}

# What an operator makes once per account in AWS (a certificate for the
# API's name); moto issues it on request.
resource "aws_acm_certificate" "api" {
  domain_name       = "api.bazaar.localhost"
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # Each switch, the value the platform gets here, and why AWS does not need it.
  emulator_switches = {
    enable_autoscaling                 = { value = false, why = "moto answers NotImplemented for the scaling target's ListTagsForResource; the provider retries forever" }
    restrict_dlq_sources               = { value = false, why = "moto keeps no RedriveAllowPolicy; the provider waits forever for it" }
    db_monitoring_interval             = { value = 0, why = "moto has no AWS-managed AmazonRDSEnhancedMonitoringRole policy to attach; the provider waits forever" }
    aws_managed_policies_exist         = { value = false, why = "moto loads no AWS managed policies (AWSBackupServiceRolePolicyForBackup) unless started with MOTO_IAM_LOAD_MANAGED_POLICIES=true: NoSuchEntity" }
    monthly_budget_usd                 = { value = null, why = "moto does not implement the budget notifications' DescribeSubscribersForNotification (500); the provider retries forever" }
    enable_saved_queries               = { value = false, why = "moto does not implement PutQueryDefinition (500); the provider retries forever" }
    enable_backup_selection            = { value = false, why = "moto does not implement CreateBackupSelection (500); the provider retries forever" }
    enable_backup_vault_notifications  = { value = false, why = "moto answers PutBackupVaultNotifications with a 404 page" }
    enable_event_archive_bucket_policy = { value = false, why = "moto evaluates a bucket policy's Deny statements without their conditions (it checks StringEquals alone): the event archive's TLS-only statement would refuse audit's every PutObject with a 403" }
    enable_web                         = { value = false, why = "moto 5.2.5 answers CreateResponseHeadersPolicy and PublishFunction with 404 (the provider fails), and reads a distribution back without its origin's OriginAccessControlId (every plan shows a change): no browser app hosting, no hosted UI domain, no browser client" }
  }
}

# An emulator is disposable: no deletion protection, no final snapshot.
#trivy:ignore:AVD-AWS-0343
module "platform" {
  #checkov:skip=CKV_AWS_150:an emulator's platform is disposable.
  #checkov:skip=CKV_AWS_139:an emulator's platform is disposable.
  #checkov:skip=CKV_AWS_338:an emulator keeps logs one day.
  #checkov:skip=CKV_AWS_118:moto has no AmazonRDSEnhancedMonitoringRole policy to attach (emulator_switches); AWS environments keep Enhanced Monitoring on.
  source = "../../modules/platform"

  name                  = "bazaar-local"
  environment           = "local"
  region                = var.region
  emulator_endpoint_url = var.tasks_moto_url

  image_tags      = { for svc in keys(module.catalog.services) : svc => var.image_tag }
  certificate_arn = aws_acm_certificate.api.arn

  vpc_cidr              = "10.40.0.0/16"
  az_count              = 2
  single_nat_gateway    = true
  db_min_capacity       = 0.5
  db_max_capacity       = 1
  db_instance_count     = 1
  deletion_protection   = false
  final_snapshot        = false
  log_retention_days    = 1
  min_tasks_per_service = var.min_tasks_per_service

  # The load test's way to users and tokens (make load-users --endpoint-url).
  allow_admin_password_auth = true

  enable_autoscaling     = local.emulator_switches.enable_autoscaling.value
  restrict_dlq_sources   = local.emulator_switches.restrict_dlq_sources.value
  db_monitoring_interval = local.emulator_switches.db_monitoring_interval.value

  aws_managed_policies_exist        = local.emulator_switches.aws_managed_policies_exist.value
  enable_saved_queries              = local.emulator_switches.enable_saved_queries.value
  enable_backup_selection           = local.emulator_switches.enable_backup_selection.value
  enable_backup_vault_notifications = local.emulator_switches.enable_backup_vault_notifications.value

  enable_event_archive_bucket_policy = local.emulator_switches.enable_event_archive_bucket_policy.value
  # No browser app hosting: moto lacks CloudFront's headers policies and function publishing.
  enable_web = local.emulator_switches.enable_web.value
  # A disposable emulator: an archive an operator (or moto's reset) may empty.
  event_archive_bucket_lock_mode = "GOVERNANCE"
  event_archive_bucket_lock_days = 1

  monthly_budget_usd = local.emulator_switches.monthly_budget_usd.value
  # What AWS gets in staging: daily snapshots kept five weeks.
  aws_backup = { daily_retention_days = 35 }
}
