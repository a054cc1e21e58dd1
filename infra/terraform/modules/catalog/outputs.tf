output "services" {
  description = "Every catalog service by name: port, route (path_prefix, priority, the ALB path_patterns), health_path, database, task size and bounds, events."
  value       = local.services
}

output "bus_name" {
  description = "The EventBridge bus of the environment (bazaar_common.messaging.topology.bus_name)."
  value       = var.resource_prefix
}

output "queues" {
  description = "One entry per consuming service: its queue, DLQ and rule names, the detail-types it consumes, maxReceiveCount and visibility timeout."
  value       = local.queues
}
