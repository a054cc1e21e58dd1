# Each deploy role pushes to its own environment's repositories
# (modules/ecr names them <name>-<environment>/<service>), and a role with
# promotes_from may also pull from that environment's repositories, to copy
# an image already built and tested there instead of rebuilding it.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  repository_arn_prefix = "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository"

  # environment => the ARN pattern of all its repositories.
  repositories = {
    for environment in keys(var.environments) : environment => "${local.repository_arn_prefix}/${var.name}-${environment}/*"
  }

  promotions = {
    for environment, role in var.environments : environment => role.promotes_from if role.promotes_from != null
  }
}

resource "aws_iam_role_policy" "ecr_push" {
  for_each = var.environments

  name = "ecr-push"
  role = aws_iam_role.deploy[each.key].name
  # No KMS statement: ECR decrypts and encrypts layers of KMS-encrypted
  # repositories through its own grant on the key, not the caller's rights.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # GetAuthorizationToken has no resource-level permission: IAM accepts
        # only "*" for it. The token alone reaches no repository; the next
        # statement says which ones.
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
      {
        Sid    = "PushOwnImages"
        Effect = "Allow"
        Action = [
          "ecr:PutImage",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ecr:DescribeImages",
          # Tag listing: cosign and registry clients find signatures and
          # attestations (tag-schema referrers) with it. Read-only.
          "ecr:ListImages",
        ]
        Resource = [local.repositories[each.key]]
      },
    ]
  })
}

resource "aws_iam_role_policy" "ecr_promote" {
  for_each = local.promotions

  name = "ecr-promote-from-${each.value}"
  role = aws_iam_role.deploy[each.key].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "PullImagesToPromote"
      Effect = "Allow"
      Action = [
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchCheckLayerAvailability",
        "ecr:DescribeImages",
        "ecr:ListImages",
      ]
      Resource = [local.repositories[each.value]]
    }]
  })
}
