# An explicit Deny wins over any Allow: whatever policy_arns an operator adds
# to a deploy role, it still cannot touch another environment's state, nor
# push to or delete from another environment's repositories. Pulling from
# them stays possible where promotes_from allows it. (The deploy boundary
# caps the rest: boundaries.tf.)

locals {
  siblings = {
    for environment in keys(var.environments) : environment => [
      for other in keys(var.environments) : other if other != environment
    ]
  }
}

resource "aws_iam_role_policy" "isolation" {
  for_each = { for environment, others in local.siblings : environment => others if length(others) > 0 }

  name = "deny-other-environments"
  role = aws_iam_role.deploy[each.key].name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      var.state == null ? [] : [{
        Sid      = "DenyOtherEnvironmentsState"
        Effect   = "Deny"
        Action   = ["s3:*"]
        Resource = [for other in each.value : "${var.state.bucket_arn}/${local.state_prefixes[other]}*"]
      }],
      [{
        Sid    = "DenyWritesToOtherEnvironmentsImages"
        Effect = "Deny"
        Action = [
          "ecr:PutImage",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:BatchDeleteImage",
        ]
        Resource = [for other in each.value : local.repositories[other]]
      }],
    )
  })
}
