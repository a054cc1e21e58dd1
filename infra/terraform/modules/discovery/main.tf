# Service-to-service calls resolve <service>.<namespace> through Cloud Map:
# ECS registers each task's IP in its service's A records and removes it when
# the task stops or fails its container health check.

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = var.namespace
  description = "${var.name}: service discovery"
  vpc         = var.vpc_id

  tags = merge(var.tags, { Name = var.namespace })
}

resource "aws_service_discovery_service" "this" {
  for_each = var.services

  name          = each.key
  description   = "${var.name}: ${each.key}"
  force_destroy = var.force_destroy

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.this.id

    # MULTIVALUE answers with up to eight healthy task IPs, so clients spread
    # their calls over the tasks instead of pinning one.
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = var.dns_ttl
    }
  }

  # Health comes from ECS (custom health checks), not Route 53 probes, which
  # cannot reach private IPs.
  health_check_custom_config {
    failure_threshold = 1
  }

  tags = merge(var.tags, { Name = "${each.key}.${var.namespace}", Service = each.key })
}
