# The archive's own customer managed key, unless the caller gives one
# (kms_key_arn). Its policy delegates to IAM: the writer and readers get
# kms:GenerateDataKey and kms:Decrypt through their IAM policies
# (writer_policy_json, reader_policy_json), only via S3.

data "aws_iam_policy_document" "key" {
  count = var.kms_key_arn == null ? 1 : 0

  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is the key itself; the account root keeps administration as AWS requires.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is the key itself; only the account is named, and IAM policies say who uses it.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is the key itself.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  count = var.kms_key_arn == null ? 1 : 0

  description             = "${var.name}: the event archive (${local.bucket_name})"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[0].json

  tags = merge(var.tags, { Name = "${var.name}-event-archive" })
}

resource "aws_kms_alias" "this" {
  count = var.kms_key_arn == null ? 1 : 0

  name          = "alias/${var.name}/event-archive"
  target_key_id = aws_kms_key.this[0].key_id
}
