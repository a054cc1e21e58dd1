output "bus_name" {
  description = "The services' RESOURCE_PREFIX (the bus is named after it)."
  value       = module.messaging.bus_name
}

output "queue_urls" {
  description = "Each consuming service's queue URL on the emulator."
  value       = module.messaging.queue_urls
}

output "auth_environment" {
  description = "The services' AUTH_* settings for this pool (AUTH_JWKS_URL on the emulator, as bazaar_devstack.cognito sets it)."
  value = {
    AUTH_ISSUER     = module.identity.issuer
    AUTH_JWKS_URL   = "${trimsuffix(var.aws_endpoint_url, "/")}/${module.identity.user_pool_id}/.well-known/jwks.json"
    AUTH_CLIENT_IDS = module.identity.client_id
  }
}

output "user_pool_id" {
  description = "The local user pool."
  value       = module.identity.user_pool_id
}
