output "bucket_name" {
  description = "The app's bucket: where the release syncs web/dist (scripts/deploy/web.sh)."
  # The configured name, known at plan (the id is the same once made).
  value = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the app's bucket."
  value       = aws_s3_bucket.this.arn
}

output "distribution_id" {
  description = "The distribution's ID: what the release invalidates /index.html in."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the distribution (the bucket policy's AWS:SourceArn)."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_domain_name" {
  description = "The distribution's own name, <id>.cloudfront.net (the target of an alias record for aliases)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_hosted_zone_id" {
  description = "Route 53 zone ID of the distribution, for an alias record."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "url" {
  description = "The app's URL: https://<first alias>, or https://<id>.cloudfront.net without aliases. The API is under the same origin."
  value       = local.url
}

output "api_path_patterns" {
  description = "The paths the distribution sends to the API (its ordered behaviours), in their order."
  value       = [for behaviour in aws_cloudfront_distribution.this.ordered_cache_behavior : behaviour.path_pattern]
}

output "api_origin_domain_name" {
  description = "The host the API's paths are sent to, over HTTPS."
  value       = var.api_origin_domain_name
}

output "config_json" {
  description = "What /config.json holds (app_config as JSON)."
  value       = aws_s3_object.config.content
}

output "config_key" {
  description = "The object the module writes from app_config (config.json): the release never uploads it."
  value       = aws_s3_object.config.key
}

output "deployer_policy_json" {
  description = "IAM policy (JSON) of a role that only publishes the app: s3:ListBucket on the bucket, s3:PutObject and s3:DeleteObject on its objects but config.json (denied), cloudfront:CreateInvalidation on the distribution. Nothing else."
  value       = data.aws_iam_policy_document.deployer.json
}
