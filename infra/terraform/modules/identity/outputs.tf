output "user_pool_id" {
  description = "ID of the user pool (<region>_XXXX)."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "ARN of the user pool."
  value       = aws_cognito_user_pool.this.arn
}

output "client_id" {
  description = "ID of the app client: the services' AUTH_CLIENT_IDS."
  value       = aws_cognito_user_pool_client.this.id
}

output "explicit_auth_flows" {
  description = "The auth flows the app client accepts (sorted): SRP and refresh tokens, plus the password flows the switches allow."
  value       = sort(aws_cognito_user_pool_client.this.explicit_auth_flows)
}

output "issuer" {
  description = "The tokens' iss claim, https://cognito-idp.<region>.amazonaws.com/<pool id>: the services' AUTH_ISSUER."
  value       = local.issuer
}

output "jwks_url" {
  description = "The pool's signing keys, <issuer>/.well-known/jwks.json: the services' AUTH_JWKS_URL."
  value       = "${local.issuer}/.well-known/jwks.json"
}

output "groups" {
  description = "The groups the services map to roles."
  value       = sort([for group in aws_cognito_user_group.this : group.name])
}

output "domain" {
  description = "The hosted domain prefix; null when none is configured."
  value       = one(aws_cognito_user_pool_domain.this[*].domain)
}

output "resource_server_identifier" {
  description = "Identifier of the resource server (its scopes are <identifier>/<scope>); null when resource_server_scopes is empty."
  value       = one(aws_cognito_resource_server.this[*].identifier)
}
