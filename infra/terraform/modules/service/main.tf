# One Bazaar domain service on ECS Fargate: its task (the app plus an ADOT
# collector sidecar), its ECS service behind the ALB and in Cloud Map, its
# security group, its two IAM roles and its autoscaling. Applied once per
# catalog service (for_each in the environment).

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  full_name    = "${var.name}-${var.service.name}"
  region       = data.aws_region.current.name
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
  cluster_name = element(split("/", var.cluster_arn), 1)
  app_name     = var.service.name
  adot_name    = "aws-otel-collector"
  # The one-off containers run from the app's image with their own command.
  migrations_name = "migrations"
  bootstrap_name  = "database-bootstrap"
  publishes       = length(var.service.publishes) > 0
  consumes        = var.queue_arn != null
  # The queues the relay sends point-to-point types to, by name as the
  # service looks them up (topology.queue_name): in this account and region.
  point_to_point_queue_arns = sort(distinct([
    for receiver in values(var.point_to_point_receivers) :
    "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${var.name}-${receiver}"
  ]))

  # A `secrets` valueFrom may name one JSON key (<arn>:<key>:<stage>:<id>);
  # IAM knows only the secret itself, its first seven ARN fields.
  secret_value_froms = merge(var.secrets, { DATABASE_URL = var.database_url_secret_arn })
  secret_arns = sort(distinct([
    for value in concat(values(local.secret_value_froms), [var.migrations_database_url_secret_arn]) :
    join(":", slice(split(":", value), 0, 7))
  ]))

  # <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]:
  # pull rights on that repository only. A public registry (ECR Public)
  # needs no IAM at all.
  ecr_image = try(regex("^(?P<account>[0-9]{12})\\.dkr\\.ecr\\.(?P<region>[a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/(?P<repository>[a-z0-9._/-]+)[:@]", var.image), null)
  ecr_repository_arn = (
    local.ecr_image == null ? null :
    "arn:${local.partition}:ecr:${local.ecr_image.region}:${local.ecr_image.account}:repository/${local.ecr_image.repository}"
  )
}
