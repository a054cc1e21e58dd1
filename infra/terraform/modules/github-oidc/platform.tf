# What every policy of this module says about one environment's platform:
# the name prefix the platform modules give their resources
# (<name>-<environment>, e.g. bazaar-dev: the cluster bazaar-dev, the ALB
# bazaar-dev-alb, the queues bazaar-dev-<service>, the secrets
# bazaar-dev/<service>/..., the roles bazaar-dev-<service>-task, ...), and the
# tag conditions for the services whose ARNs carry no name (KMS keys, Cognito
# pools, Cloud Map, Application Auto Scaling, EC2 networking): there the
# environment's default tag (environment = "<env>") is the scope.

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  dns_suffix = data.aws_partition.current.dns_suffix

  iam_arn       = "arn:${local.partition}:iam::${local.account_id}"
  log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group"

  # The backup role (modules/backup) carries this AWS managed policy both as
  # its only policy and as its permissions boundary: the workload boundary
  # would cut what AWS Backup needs, and a boundary equal to the one policy
  # it holds keeps the role at exactly that policy whatever is attached
  # later. Restores are an operator's act, with the operator's own rights
  # (docs/disaster-recovery.md): no restore policy.
  backup_role_policy = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"

  # AWS Config's service-linked role (modules/audit): fixed name and path,
  # one per account, made by CreateServiceLinkedRole, never by CreateRole.
  config_service_role = "${local.iam_arn}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"

  platform = {
    for environment in keys(var.environments) : environment => {
      prefix = "${var.name}-${environment}"

      # Created only with the environment's tag; changed only while they carry it.
      request_tag  = { StringEquals = { "aws:RequestTag/${var.environment_tag_key}" = environment } }
      resource_tag = { StringEquals = { "aws:ResourceTag/${var.environment_tag_key}" = environment } }

      # The platform computes this ARN itself and sets it on every role it
      # makes (modules/platform): the name is a contract, keep it.
      workload_boundary_name = "${var.name}-${environment}-workload-boundary"
      workload_boundary_arn  = "${local.iam_arn}:policy/${var.name}-${environment}-workload-boundary"

      roles    = "${local.iam_arn}:role/${var.name}-${environment}-*"
      policies = "${local.iam_arn}:policy/${var.name}-${environment}-*"

      ec2        = "arn:${local.partition}:ec2:${local.region}:${local.account_id}"
      ecs        = "arn:${local.partition}:ecs:${local.region}:${local.account_id}"
      elb        = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}"
      rds        = "arn:${local.partition}:rds:${local.region}:${local.account_id}"
      kms_keys   = "arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"
      secrets    = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret"
      sqs        = "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${var.name}-${environment}-*"
      events     = "arn:${local.partition}:events:${local.region}:${local.account_id}"
      alarms     = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm"
      userpools  = "arn:${local.partition}:cognito-idp:${local.region}:${local.account_id}:userpool/*"
      wafv2      = "arn:${local.partition}:wafv2:${local.region}:${local.account_id}:regional"
      repository = "${local.repository_arn_prefix}/${var.name}-${environment}/*"
      backup     = "arn:${local.partition}:backup:${local.region}:${local.account_id}"
      config     = "arn:${local.partition}:config:${local.region}:${local.account_id}"
      trail      = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${var.name}-${environment}-audit"

      # modules/observability: where every alarm, the budget, AWS Config's
      # non-compliance and AWS Backup's events are sent.
      alarm_topic = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${var.name}-${environment}-alarms"

      # modules/alb: <prefix>-alb-logs-<account>; modules/audit: <prefix>-audit-<account>
      # (CloudTrail, object-locked) and <prefix>-config-<account> (AWS Config's
      # deliveries); modules/event-archive below. The platform's S3 buckets.
      alb_log_bucket = "arn:${local.partition}:s3:::${var.name}-${environment}-alb-logs-${local.account_id}"
      audit_buckets = [
        "arn:${local.partition}:s3:::${var.name}-${environment}-audit-${local.account_id}",
        "arn:${local.partition}:s3:::${var.name}-${environment}-config-${local.account_id}",
      ]
      # modules/event-archive: the S3 archive of every event (object-locked),
      # which audit's task writes under events/ and read models read.
      event_archive_bucket = "arn:${local.partition}:s3:::${var.name}-${environment}-event-archive-${local.account_id}"

      # modules/web: the browser app's bucket <prefix>-web-<account>, which
      # the release publishes to, and its CloudFront pieces: the function
      # <prefix>-spa-rewrite by name; the distribution (a generated id) by
      # the environment's tag; the origin access control and the headers
      # policy, which carry neither a name in their ARN nor tags.
      web_bucket = "arn:${local.partition}:s3:::${var.name}-${environment}-web-${local.account_id}"
      cloudfront = "arn:${local.partition}:cloudfront::${local.account_id}"

      # modules/backup: the role AWS Backup assumes. The one role of the
      # platform without the workload boundary (see backup_role_policy).
      backup_role = "${local.iam_arn}:role/${var.name}-${environment}-backup"

      # Every log group the platform creates (network, cluster, alb/waf,
      # database, service): its own name under a fixed prefix each.
      log_groups = [
        "${local.log_group_arn}:/ecs/${var.name}-${environment}/*",
        "${local.log_group_arn}:/aws/ecs/${var.name}-${environment}/*",
        "${local.log_group_arn}:/aws/vpc-flow-log/${var.name}-${environment}",
        "${local.log_group_arn}:/aws/vpc-flow-log/${var.name}-${environment}:*",
        "${local.log_group_arn}:/aws/rds/cluster/${var.name}-${environment}-*",
        "${local.log_group_arn}:aws-waf-logs-${var.name}-${environment}",
        "${local.log_group_arn}:aws-waf-logs-${var.name}-${environment}:*",
      ]
    }
  }
}
