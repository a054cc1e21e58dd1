# The app's runtime configuration, /config.json, written here from
# app_config (the platform gives its Cognito settings), so one bundle runs in
# every environment: the release builds web/ once and never uploads a
# config.json. no-cache: a browser and the edge revalidate it on every load
# (the edge keeps it at most the managed policy's 1 s minimum), so a change
# Terraform makes reaches the next page load without an invalidation.

resource "aws_s3_object" "config" {
  bucket        = aws_s3_bucket.this.id
  key           = local.config_key
  content       = jsonencode(var.app_config)
  content_type  = "application/json"
  cache_control = "no-cache"

  tags = var.tags

  # Written once the bucket is encrypted and versioned, as every object after.
  depends_on = [
    aws_s3_bucket_server_side_encryption_configuration.this,
    aws_s3_bucket_versioning.this,
  ]
}
