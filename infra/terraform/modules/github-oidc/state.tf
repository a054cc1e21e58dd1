# Each deploy role reaches only its own environment's Terraform state: the
# objects under <key_prefix>/<environment>/ (terraform.tfstate and the S3
# native lock file terraform.tfstate.tflock beside it), through the state
# key. dev's role can neither read nor write staging's or prod's state. Each
# plan role only reads its environment's state object: plans run with
# -lock=false, so they write no lock file, and they never write the state.

locals {
  # "envs/dev/": the trailing slash keeps "dev" from matching "dev2".
  state_prefixes = var.state == null ? {} : {
    for environment in keys(var.environments) : environment => "${var.state.key_prefix}/${environment}/"
  }

  # Bucket and key are in one region (SSE-KMS requires it): the key's ARN
  # says which, whatever region the provider of this module is in.
  state_region = var.state == null ? null : split(":", var.state.kms_key_arn)[3]

  # For the deploy boundary: the bucket, and the objects each environment
  # may reach in it (nothing when there is no state).
  state_bucket = var.state == null ? [] : [var.state.bucket_arn]
  state_resources = {
    for environment, prefix in local.state_prefixes : environment => [var.state.bucket_arn, "${var.state.bucket_arn}/${prefix}*"]
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = local.state_prefixes

  name = "terraform-state"
  role = aws_iam_role.deploy[each.key].name
  # jsonencode, not a policy document data source: the tests read it back.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # Terraform's documented minimum: list the path the state is in (S3
        # answers 404, not 403, for a missing key only to a caller that may
        # list: the first plan of an environment reads a state not yet
        # written). The default workspace prefix "env:/" need not be listable:
        # Terraform >= 1.7 ignores that AccessDenied.
        Sid       = "ListOwnState"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [var.state.bucket_arn]
        Condition = { StringLike = { "s3:prefix" = [each.value, "${each.value}*"] } }
      },
      {
        # The state and its lock file (created, read on conflict, deleted on
        # unlock), and anything else the backend keeps beside them.
        Sid      = "ReadWriteOwnStateAndLock"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${var.state.bucket_arn}/${each.value}*"]
      },
      {
        # Only S3 calls KMS for the state (SSE-KMS), so the key is usable only
        # through S3 in the bucket's region. No kms:EncryptionContext
        # condition: with the bucket's S3 Bucket Key the context is the
        # bucket's ARN, the same for every environment (it could not separate
        # them), and an object-ARN context would break as soon as a bucket key
        # is in use. The environments are kept apart by the S3 statements
        # above, which S3 checks before it calls KMS.
        Sid       = "UseStateKeyThroughS3"
        Effect    = "Allow"
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = [var.state.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.state_region}.${data.aws_partition.current.dns_suffix}" } }
      },
    ]
  })
}

resource "aws_iam_role_policy" "plan_state" {
  for_each = local.state_prefixes

  name = "terraform-state-read"
  role = aws_iam_role.plan[each.key].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # As for the deploy role: S3 answers 404 (no state yet) rather than
        # 403 only to a caller that may list the path.
        Sid       = "ListOwnState"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [var.state.bucket_arn]
        Condition = { StringLike = { "s3:prefix" = [each.value, "${each.value}*"] } }
      },
      {
        Sid      = "ReadOwnStateObject"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${var.state.bucket_arn}/${each.value}${var.state.key}"]
      },
      {
        Sid       = "DecryptStateThroughS3"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.state.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.state_region}.${data.aws_partition.current.dns_suffix}" } }
      },
    ]
  })
}
