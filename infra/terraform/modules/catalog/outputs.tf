output "services" {
  description = "Every catalog service by name: port, route (path_prefix, priority, the ALB path_patterns), health_path, database, task size and bounds, events."
  value       = local.services
}

output "bus_name" {
  description = "The EventBridge bus of the environment (bazaar_common.messaging.topology.bus_name)."
  value       = var.resource_prefix
}

output "queues" {
  description = "One entry per consuming service: its queue, DLQ and rule names, the detail-types it consumes (and which of them arrive point to point), its rule's event pattern, maxReceiveCount and visibility timeout."
  value       = local.queues
}

output "point_to_point" {
  description = "Event type -> the one service that receives it point to point (its consumes_point_to_point)."
  value       = local.point_to_point
}

output "sends_point_to_point" {
  description = "Per service, the types it publishes that its relay sends point to point, each with its receiving service."
  value       = local.sends_point_to_point
}
