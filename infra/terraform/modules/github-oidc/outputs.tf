output "role_arns" {
  description = "The deploy role of each GitHub environment: what deploy.yml's aws-actions/configure-aws-credentials assumes there."
  value       = { for environment, role in aws_iam_role.deploy : environment => role.arn }
}

output "provider_arn" {
  description = "The GitHub OIDC identity provider of the account."
  value       = local.provider_arn
}
