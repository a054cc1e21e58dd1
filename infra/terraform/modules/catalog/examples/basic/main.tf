# The catalog of this repository under one prefix: `terraform apply` prints
# what every other module is given. tests/terraform reads these outputs.
terraform {
  required_version = ">= 1.9"
}

variable "resource_prefix" {
  description = "The environment's RESOURCE_PREFIX."
  type        = string
  default     = "bazaar"
}

module "catalog" {
  source          = "../.."
  resource_prefix = var.resource_prefix
}

output "services" {
  description = "The catalog's services."
  value       = module.catalog.services
}

output "bus_name" {
  description = "The bus name."
  value       = module.catalog.bus_name
}

output "queues" {
  description = "The consumers' queues."
  value       = module.catalog.queues
}

output "point_to_point" {
  description = "Type -> its point-to-point receiver."
  value       = module.catalog.point_to_point
}

output "sends_point_to_point" {
  description = "Per service, the types its relay sends point to point, and to whom."
  value       = module.catalog.sends_point_to_point
}
