# Everything one AWS environment of Bazaar needs, composed from the modules
# beside this one, so that envs/dev, envs/staging and envs/prod differ by
# variables only. The service list is the catalog's: nothing here names a
# service except the documented exceptions: orders' call to inventory
# (locals below) and audit as the event archive's writer (the default of
# event_archive_bucket_access).

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  resource_prefix = coalesce(var.resource_prefix, var.name)
  namespace       = "${var.environment}.bazaar.internal"
  # Where every task's collector exports the services' own metrics, and the
  # alarms and dashboard (observability.tf) read them.
  metrics_namespace = "Bazaar/${var.name}"

  # The catalog's services, each running at least min_tasks_per_service
  # tasks (Fargate spreads them over the subnets' availability zones).
  services = {
    for name, spec in module.catalog.services : name => merge(spec, {
      min_tasks = max(spec.min_tasks, var.min_tasks_per_service)
      max_tasks = max(spec.max_tasks, spec.min_tasks, var.min_tasks_per_service)
    })
  }

  # dev may be torn down and rebuilt; staging and prod keep what they hold.
  disposable = !var.deletion_protection

  # Cognito threat protection: ENFORCED (PLUS plan) where real customers sign
  # in; AUDIT in staging records risky sign-ins so prod's ENFORCED holds no
  # surprise; OFF in dev (its users are the team, and PLUS costs per user).
  advanced_security_mode = {
    local   = "OFF"
    dev     = "OFF"
    staging = "AUDIT"
    prod    = "ENFORCED"
  }[var.environment]

  # The first task of a service always runs on on-demand FARGATE; beyond it
  # Spot takes fargate_spot_weight shares against FARGATE's 1.
  capacity_provider_strategy = var.fargate_spot_weight > 0 ? [
    { capacity_provider = "FARGATE", weight = 1, base = 1 },
    { capacity_provider = "FARGATE_SPOT", weight = var.fargate_spot_weight, base = 0 },
    ] : [
    { capacity_provider = "FARGATE", weight = 1, base = 0 },
  ]

  # Who calls whom over the VPC (not through the ALB): orders reserves stock
  # at inventory (INVENTORY_URL). Only pairs whose both ends are in the
  # catalog are wired.
  calls = {
    for call in [{ from = "orders", to = "inventory" }] : "${call.from}-to-${call.to}" => call
    if contains(keys(local.services), call.from) && contains(keys(local.services), call.to)
  }

  # The environment's registry (infra/terraform/registry, applied before
  # this by the release): named, not managed, here.
  repository_urls = {
    for svc in keys(local.services) :
    svc => "${data.aws_caller_identity.current.account_id}.dkr.ecr.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}/${var.name}/${svc}"
  }

  # <svc>.<namespace>:<catalog port> for every service: the base URL a caller
  # is given.
  internal_urls = {
    for svc, spec in local.services : svc => "http://${module.discovery.service_dns_names[svc]}:${spec.port}"
  }

  # The queue and DLQ ARNs, built from the catalog's names rather than read
  # from module.messaging: the service module counts its backlog scaling
  # policy on queue_arn != null, which must be known at plan, and a
  # provider-computed ARN is not (for_each/count "cannot be determined until
  # apply"). output queue_urls' precondition holds the two together.
  arn_prefix = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  queue_arns = { for svc, queue in module.catalog.queues : svc => "${local.arn_prefix}:${queue.queue_name}" }
  dlq_arns   = { for svc, queue in module.catalog.queues : svc => "${local.arn_prefix}:${queue.dlq_name}" }

  common_environment = merge(
    {
      ENVIRONMENT   = var.environment
      AUTH_ISSUER   = module.identity.issuer
      AUTH_JWKS_URL = var.emulator_endpoint_url == null ? module.identity.jwks_url : "${var.emulator_endpoint_url}/${module.identity.user_pool_id}/.well-known/jwks.json"
      # The app client and, with enable_web, the browser's (web.tf): a
      # comma-separated list, as bazaar_common.settings reads it.
      AUTH_CLIENT_IDS = join(",", concat([module.identity.client_id], aws_cognito_user_pool_client.browser[*].id))
      # Only the ALB reaches the task port, so its X-Forwarded-* are trusted.
      FORWARDED_ALLOW_IPS = "*"
      # The ALB must be the side that closes an idle connection (server.py).
      KEEP_ALIVE_SECONDS = tostring(var.alb_idle_timeout_seconds + 15)
      # A share of traces: exporting every one costs ~125 us a request
      # (docs/benchmarks.md); a trace started upstream keeps its decision.
      OTEL_TRACES_SAMPLER_ARG = tostring(var.trace_sample_ratio)
    },
    var.emulator_endpoint_url == null ? {} : { AWS_ENDPOINT_URL = var.emulator_endpoint_url },
  )

  service_environment = {
    # INVENTORY_URL: orders' client of inventory.
    orders = contains(keys(local.services), "inventory") ? { INVENTORY_URL = local.internal_urls["inventory"] } : {}
  }
}



module "catalog" {
  source          = "../catalog"
  resource_prefix = local.resource_prefix
}

module "network" {
  source = "../network"

  name                     = var.name
  cidr                     = var.vpc_cidr
  az_count                 = var.az_count
  single_nat_gateway       = var.single_nat_gateway
  flow_log_retention_days  = var.log_retention_days
  permissions_boundary_arn = var.workload_permissions_boundary_arn

  tags = var.tags
}

module "cluster" {
  source = "../cluster"

  name                    = var.name
  fargate_base            = var.fargate_spot_weight > 0 ? 1 : 0
  fargate_spot_weight     = var.fargate_spot_weight
  exec_log_retention_days = var.log_retention_days

  tags = var.tags
}

module "alb" {
  source = "../alb"

  name                           = var.name
  vpc_id                         = module.network.vpc_id
  vpc_cidr                       = module.network.vpc_cidr
  public_subnet_ids              = module.network.public_subnet_ids
  certificate_arn                = var.certificate_arn
  deletion_protection            = var.deletion_protection
  idle_timeout                   = var.alb_idle_timeout_seconds
  access_logs_force_destroy      = local.disposable
  services                       = local.services
  task_stop_timeout_seconds      = var.stop_timeout_seconds
  enable_waf                     = var.enable_waf
  waf_rate_limit                 = var.waf_rate_limit
  waf_rate_limit_exempt_cidrs    = var.waf_rate_limit_exempt_cidrs
  waf_common_rule_set_count_only = var.waf_common_rule_set_count_only
  waf_log_retention_days         = var.log_retention_days

  tags = var.tags
}

module "discovery" {
  source = "../discovery"

  name          = var.name
  namespace     = local.namespace
  vpc_id        = module.network.vpc_id
  services      = local.services
  force_destroy = local.disposable

  tags = var.tags
}

module "database" {
  source = "../database"

  name               = var.name
  vpc_id             = module.network.vpc_id
  private_subnet_ids = module.network.private_subnet_ids
  services           = local.services
  min_capacity       = var.db_min_capacity
  max_capacity       = var.db_max_capacity

  seconds_until_auto_pause = var.db_seconds_until_auto_pause
  backup_retention_period  = var.db_backup_retention_days
  instance_count           = var.db_instance_count
  deletion_protection      = var.deletion_protection
  final_snapshot           = var.final_snapshot
  log_retention_days       = var.log_retention_days
  monitoring_interval      = var.db_monitoring_interval
  # dev recreates its secrets under the same names right away.
  secret_recovery_window_days = local.disposable ? 0 : 30

  # The services' ingress is in security_groups.tf, one rule per service
  # keyed by its name: the module's rules are count-indexed, so adding a
  # service there would renumber (replace) the others' rules.
  allowed_security_group_ids = []
  permissions_boundary_arn   = var.workload_permissions_boundary_arn

  tags = var.tags
}

module "messaging" {
  source = "../messaging"

  bus_name             = module.catalog.bus_name
  queues               = module.catalog.queues
  restrict_dlq_sources = var.restrict_dlq_sources

  archive_retention_days = var.event_archive_retention_days

  tags = var.tags
}

module "identity" {
  source = "../identity"

  name                   = var.name
  advanced_security_mode = local.advanced_security_mode
  deletion_protection    = var.deletion_protection

  # IAM-signed (AdminInitiateAuth) password sign-in for a release pipeline's
  # load test users; nothing a browser could use.
  allow_admin_password_auth = var.allow_admin_password_auth

  # The hosted UI the browser app signs in through (web.tf), only with it.
  domain = var.enable_web ? local.web_auth_domain_prefix : null

  tags = var.tags
}

# What each service instance is given, in one place, so the output
# service_inputs shows exactly the wiring module.service received.
locals {
  service_inputs = {
    for svc, spec in local.services : svc => {
      image                   = "${local.repository_urls[svc]}:${var.image_tags[svc]}"
      environment             = merge(local.common_environment, lookup(local.service_environment, svc, {}), lookup(local.event_archive_environment, svc, {}))
      database_url_secret_arn = module.database.service_secret_arns[svc]
      migrations_secret_arn   = module.database.migrations_secret_arns[svc]
      target_group_arn        = module.alb.target_group_arns[svc]
      service_discovery_arn   = module.discovery.service_arns[svc]
      queue_arn               = lookup(local.queue_arns, svc, null)
      dlq_arn                 = lookup(local.dlq_arns, svc, null)
      # The types its relay sends straight to their receiver's queue.
      point_to_point_receivers = module.catalog.sends_point_to_point[svc]
      # Inline policies of its task role beyond messaging: the event
      # archive's writer or reader policy, for those in event_archive_bucket_access.
      task_role_policies = lookup(local.event_archive_task_policies, svc, {})
    }
  }
}

module "service" {
  source   = "../service"
  for_each = local.services

  # The service derives its bus and queue names from RESOURCE_PREFIX = name.
  name    = local.resource_prefix
  service = each.value
  image   = local.service_inputs[each.key].image

  environment = local.service_inputs[each.key].environment

  database_url_secret_arn            = local.service_inputs[each.key].database_url_secret_arn
  migrations_database_url_secret_arn = local.service_inputs[each.key].migrations_secret_arn
  secrets_kms_key_arns               = [module.database.kms_key_arn]
  database = {
    host              = module.database.endpoint
    port              = module.database.port
    name              = each.value.database
    master_secret_arn = module.database.master_user_secret_arn
  }
  permissions_boundary_arn   = var.workload_permissions_boundary_arn
  database_security_group_id = module.database.security_group_id
  database_port              = module.database.port

  cluster_arn                = module.cluster.cluster_arn
  vpc_id                     = module.network.vpc_id
  private_subnet_ids         = module.network.private_subnet_ids
  alb_security_group_id      = module.alb.alb_security_group_id
  target_group_arn           = local.service_inputs[each.key].target_group_arn
  service_discovery_arn      = local.service_inputs[each.key].service_discovery_arn
  capacity_provider_strategy = local.capacity_provider_strategy

  # Queues and bus use SQS/EventBridge-managed encryption: no messaging CMK.
  queue_arn = local.service_inputs[each.key].queue_arn
  dlq_arn   = local.service_inputs[each.key].dlq_arn
  bus_arn   = module.messaging.bus_arn

  point_to_point_receivers = local.service_inputs[each.key].point_to_point_receivers

  # What this one service needs beyond messaging and telemetry.
  task_role_policies = local.service_inputs[each.key].task_role_policies

  log_retention_days   = var.log_retention_days
  stop_timeout_seconds = var.stop_timeout_seconds
  enable_autoscaling   = var.enable_autoscaling
  cpu_architecture     = var.cpu_architecture
  metrics_namespace    = local.metrics_namespace

  enable_execute_command = var.enable_execute_command
  exec_log_group_arn     = module.cluster.exec_log_group_arn
  exec_kms_key_arn       = module.cluster.exec_kms_key_arn

  tags = merge(var.tags, { Service = each.key })
}
