# The service catalog, read the way bazaar_common.catalog reads it, and the
# message topology derived from it exactly as bazaar_common.messaging.topology
# derives it. Nothing here is written down twice: every other module takes
# these outputs. tests/terraform/test_catalog_module.py holds the two to
# each other.

locals {
  root  = coalesce(var.repository_root, abspath("${path.module}/../../../.."))
  files = sort(fileset(local.root, "services/*/src/*/service.yaml"))

  # The defaults of bazaar_common.catalog's models.
  entries = [
    for file in local.files : merge(
      { health_path = "/healthz" },
      yamldecode(file("${local.root}/${file}")),
    )
  ]

  services = {
    for entry in local.entries : entry.name => {
      name          = entry.name
      description   = entry.description
      package       = entry.package
      port          = entry.port
      path_prefix   = entry.route.path_prefix
      priority      = entry.route.priority
      path_patterns = [entry.route.path_prefix, "${entry.route.path_prefix}/*"]
      health_path   = entry.health_path
      database      = entry.database
      cpu           = entry.resources.cpu
      memory        = entry.resources.memory
      min_tasks     = try(entry.resources.min_tasks, 1)
      max_tasks     = try(entry.resources.max_tasks, 4)
      publishes     = sort(distinct(try(entry.events.publishes, [])))
      consumes      = sort(distinct(try(entry.events.consumes, [])))

      max_receive_count          = try(entry.events.max_receive_count, 5)
      visibility_timeout_seconds = try(entry.events.visibility_timeout_seconds, 30)
    }
  }

  published = toset(flatten([for service in local.services : service.publishes]))

  queues = {
    for name, service in local.services : name => {
      service                    = name
      queue_name                 = "${var.resource_prefix}-${name}"
      dlq_name                   = "${var.resource_prefix}-${name}-dlq"
      rule_name                  = "${var.resource_prefix}-to-${name}"
      detail_types               = service.consumes
      max_receive_count          = service.max_receive_count
      visibility_timeout_seconds = service.visibility_timeout_seconds
    } if length(service.consumes) > 0
  }
}

check "every_consumed_type_is_published" {
  assert {
    condition = alltrue([
      for service in local.services : length(setsubtract(service.consumes, local.published)) == 0
    ])
    error_message = "A service consumes an event type no service publishes: ${jsonencode({
      for name, service in local.services : name => setsubtract(service.consumes, local.published)
      if length(setsubtract(service.consumes, local.published)) > 0
    })}"
  }
}
