output "bucket_name" {
  description = "The state bucket: the environments' `-backend-config=bucket=...`."
  value       = aws_s3_bucket.state.id
}

output "bucket_arn" {
  description = "The state bucket's ARN, for the IAM policies of whoever runs Terraform."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "The state key: the environments' `-backend-config=kms_key_id=...`; runners need kms:Decrypt (plan) and kms:Encrypt, kms:GenerateDataKey (apply) on it."
  value       = aws_kms_key.state.arn
}

output "region" {
  description = "The bucket's region: the environments' `-backend-config=region=...`."
  value       = var.region
}

output "deploy_role_arns" {
  description = "The deploy (apply) role of each environment: the variable AWS_ROLE_ARN of the GitHub environment <env>."
  value       = module.github_oidc.role_arns
}

output "plan_role_arns" {
  description = "The read-only plan role of each environment: the variable AWS_ROLE_ARN of the GitHub environment <env>-plan."
  value       = module.github_oidc.plan_role_arns
}

output "github_environments" {
  description = "The GitHub environments to create, by platform environment: { deploy = \"<env>\", plan = \"<env>-plan\" }."
  value       = module.github_oidc.github_environments
}

output "deploy_boundary_arns" {
  description = "The permissions boundary of each environment's deploy role."
  value       = module.github_oidc.deploy_boundary_arns
}

output "workload_boundary_arns" {
  description = "Each environment's workload boundary (<name>-<env>-workload-boundary): the permissions_boundary of every role its platform makes."
  value       = module.github_oidc.workload_boundary_arns
}

output "github_oidc_provider_arn" {
  description = "The account's GitHub OIDC identity provider."
  value       = module.github_oidc.provider_arn
}
