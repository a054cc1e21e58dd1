# What the archive's users may do, as IAM policy documents for the caller to
# attach (modules/platform gives them to task roles). Only under events/;
# never a delete; the key only through S3.

# A reader (a read model's rebuild, e.g. history; an operator's replay):
# list and get, nothing else.
data "aws_iam_policy_document" "reader" {
  statement {
    sid       = "ReadEvents"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/${local.prefix}*"]
  }

  statement {
    sid       = "ListEvents"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.prefix, "${local.prefix}*"]
    }
  }

  statement {
    sid       = "DecryptWithArchiveKey"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_service]
    }
  }
}

# The writer (audit) is a reader, for its rebuild command, that also writes
# each batch once: PutObject with If-None-Match: *, which the policy
# requires, so an object is never overwritten.
data "aws_iam_policy_document" "writer" {
  source_policy_documents = [data.aws_iam_policy_document.reader.json]

  statement {
    sid       = "WriteEventsOnce"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/${local.prefix}*"]

    # Present only on a conditional write: a plain PutObject, which would
    # add a version over an existing batch, is not allowed.
    condition {
      test     = "Null"
      variable = "s3:if-none-match"
      values   = ["false"]
    }
  }

  statement {
    sid       = "EncryptWithArchiveKey"
    actions   = ["kms:GenerateDataKey"]
    resources = [local.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_service]
    }
  }
}
