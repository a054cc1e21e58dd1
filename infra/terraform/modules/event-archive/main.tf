# The durable archive of every event on the bus, in S3: the audit service
# writes each batch once, as gzip JSON lines under
# events/date=YYYY-MM-DD/type=<EventType>/<batch>.jsonl.gz (PutObject with
# If-None-Match: *, so nothing is ever overwritten), and read models are
# rebuilt from it. Object lock keeps every version for lock_days whatever
# anyone's IAM rights; versioning, which the lock needs, keeps a deleted
# object as a noncurrent version.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Built, not read from the bucket, so the policies are known at plan.
  bucket_name = "${var.name}-event-archive-${local.account_id}"
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"

  # The writer's layout (services/audit): every object is under it, and
  # the task policies reach nothing else.
  prefix = "events/"

  kms_key_arn = var.kms_key_arn != null ? var.kms_key_arn : aws_kms_key.this[0].arn

  # SSE-KMS through S3 only: the policies' kms:ViaService.
  s3_service = "s3.${local.region}.${data.aws_partition.current.dns_suffix}"
}
