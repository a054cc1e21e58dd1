data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# The account administers the key through IAM (the default key policy); the
# principals that may use it are then granted kms:Decrypt/GenerateDataKey in
# their own IAM policies. Key policies must name "*" as their resource: it
# means this key.
data "aws_iam_policy_document" "state_key" {
  #checkov:skip=CKV_AWS_111:A key policy, not an IAM policy: "*" is this key, and the only principal is the account root (the AWS default key policy).
  #checkov:skip=CKV_AWS_356:A key policy's resource must be "*" (it means this key); the principal is the account root only.
  #checkov:skip=CKV_AWS_109:The AWS default key policy: the account administers the key through IAM; no other principal is named.
  statement {
    sid       = "AccountAdministersThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "state" {
  description             = "Terraform state in s3://${var.bucket_name}"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.state_key.json

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "state" {
  name          = "alias/${var.bucket_name}"
  target_key_id = aws_kms_key.state.key_id
}
