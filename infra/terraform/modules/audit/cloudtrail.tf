# Every management API call in every region of the account, read and write,
# signed (digest files) so a changed or deleted log file can be proven.

# No CloudWatch Logs delivery: the trail is the record, in its locked bucket.
#trivy:ignore:AVD-AWS-0162
resource "aws_cloudtrail" "this" {
  count = local.trail_count

  #checkov:skip=CKV2_AWS_10:No CloudWatch Logs delivery: the trail is the record, kept in its locked bucket; alerting comes from AWS Config through EventBridge.
  #checkov:skip=CKV_AWS_252:No SNS notice per delivered log file: it would be thousands of messages a day that nobody reads.
  name           = local.trail_name
  s3_bucket_name = aws_s3_bucket.trail[0].id
  s3_key_prefix  = local.trail_prefix
  kms_key_id     = aws_kms_key.audit[0].arn

  is_multi_region_trail         = true
  include_global_service_events = true # IAM, STS, CloudFront: logged once, in this region
  enable_log_file_validation    = true
  enable_logging                = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  tags = merge(var.tags, { Name = local.trail_name })

  # CloudTrail checks at creation that it may write to the bucket and use
  # the key; the key policy comes with the key, the bucket policy does not.
  depends_on = [
    aws_s3_bucket_policy.trail,
    aws_s3_bucket_server_side_encryption_configuration.trail,
  ]
}
