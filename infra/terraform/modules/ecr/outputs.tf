output "repository_urls" {
  description = "Repository URL by service (<account>.dkr.ecr.<region>.amazonaws.com/<name>/<service>): the image of a task definition is \"<url>:<tag>\"."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARN by service (for the CI role's push policy and the task execution role's pull policy)."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.arn }
}

output "repository_names" {
  description = "Repository name by service (\"<name>/<service>\")."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.name }
}

output "registry_id" {
  description = "The registry (AWS account) ID holding the repositories (the host part of every repository URL)."
  value       = try(values(aws_ecr_repository.this)[0].registry_id, null)
}

output "kms_key_arn" {
  description = "The KMS key encrypting the repositories (created by the module unless kms_key_arn was given)."
  value       = local.kms_key_arn
}
