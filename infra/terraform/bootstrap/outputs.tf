output "bucket_name" {
  description = "The state bucket: the environments' `-backend-config=bucket=...`."
  value       = aws_s3_bucket.state.id
}

output "bucket_arn" {
  description = "The state bucket's ARN, for the IAM policies of whoever runs Terraform."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "The state key: the environments' `-backend-config=kms_key_id=...`; runners need kms:Decrypt, kms:GenerateDataKey on it."
  value       = aws_kms_key.state.arn
}

output "region" {
  description = "The bucket's region: the environments' `-backend-config=region=...`."
  value       = var.region
}

output "deploy_role_arns" {
  description = "The deploy role of each GitHub environment: set it as that environment's variable AWS_ROLE_ARN."
  value       = module.github_oidc.role_arns
}

output "github_oidc_provider_arn" {
  description = "The account's GitHub OIDC identity provider."
  value       = module.github_oidc.provider_arn
}
