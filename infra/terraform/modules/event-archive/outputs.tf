output "bucket_name" {
  description = "The archive's bucket: the services' EVENT_ARCHIVE_BUCKET."
  # The configured name, known at plan (the id is the same once made).
  value = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the archive's bucket."
  value       = aws_s3_bucket.this.arn
}

output "prefix" {
  description = "The prefix every archived event is under (events/); the policies reach nothing else."
  value       = local.prefix
}

output "kms_key_arn" {
  description = "The key the archive is encrypted with (the module's, or kms_key_arn): writers need kms:GenerateDataKey and kms:Decrypt on it, readers kms:Decrypt, through S3."
  value       = local.kms_key_arn
}

output "writer_policy_json" {
  description = "IAM policy (JSON) of the one writer (audit): the reader's, plus s3:PutObject under events/ with If-None-Match only and kms:GenerateDataKey on the key via S3. Never a delete."
  value       = data.aws_iam_policy_document.writer.json
}

output "reader_policy_json" {
  description = "IAM policy (JSON) of a reader (a read model's rebuild, an operator's replay): s3:GetObject under events/, s3:ListBucket with an s3:prefix under events/, kms:Decrypt on the key via S3."
  value       = data.aws_iam_policy_document.reader.json
}
