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
      # Of consumes, the types the publishers' relays send straight to this
      # service's queue (docs/adr/0017-commands-point-to-point.md).
      consumes_point_to_point = sort(distinct(try(entry.events.consumes_point_to_point, [])))

      max_receive_count          = try(entry.events.max_receive_count, 5)
      visibility_timeout_seconds = try(entry.events.visibility_timeout_seconds, 30)
    }
  }

  published = toset(flatten([for service in local.services : service.publishes]))

  # Type -> the services that receive it point to point: exactly one each
  # (check below), as bazaar_common.messaging.topology.point_to_point_receivers.
  point_to_point_claims = {
    for pair in flatten([
      for name, service in local.services : [
        for type in service.consumes_point_to_point : { type = type, service = name }
      ]
    ]) : pair.type => pair.service...
  }
  point_to_point = { for type, receivers in local.point_to_point_claims : type => receivers[0] }

  # Per service, the types it publishes that go point to point, and to whom:
  # its relay's routes and its task role's sqs:SendMessage.
  sends_point_to_point = {
    for name, service in local.services : name => {
      for type in service.publishes : type => local.point_to_point[type]
      if contains(keys(local.point_to_point), type)
    }
  }

  queues = {
    for name, service in local.services : name => {
      service                    = name
      queue_name                 = "${var.resource_prefix}-${name}"
      dlq_name                   = "${var.resource_prefix}-${name}-dlq"
      rule_name                  = "${var.resource_prefix}-to-${name}"
      detail_types               = service.consumes
      point_to_point_types       = service.consumes_point_to_point
      max_receive_count          = service.max_receive_count
      visibility_timeout_seconds = service.visibility_timeout_seconds
      # QueueSpec.event_pattern: the bus types as published; the
      # point-to-point ones, which the relay sends to the queue itself, only
      # when an archive replays them (replayed events carry replay-name).
      event_pattern = length(service.consumes_point_to_point) == 0 ? jsonencode({
        "detail-type" = service.consumes
        }) : length(setsubtract(service.consumes, service.consumes_point_to_point)) == 0 ? jsonencode({
        "detail-type" = service.consumes_point_to_point
        "replay-name" = [{ exists = true }]
        }) : jsonencode({
        "$or" = [
          { "detail-type" = sort(setsubtract(service.consumes, service.consumes_point_to_point)) },
          { "detail-type" = service.consumes_point_to_point, "replay-name" = [{ exists = true }] },
        ]
      })
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

check "point_to_point_types_are_consumed_published_and_received_once" {
  assert {
    condition = alltrue([
      for service in local.services : length(setsubtract(service.consumes_point_to_point, service.consumes)) == 0
      ]) && length(setsubtract(keys(local.point_to_point), local.published)) == 0 && alltrue([
      for receivers in values(local.point_to_point_claims) : length(receivers) == 1
    ])
    error_message = "A point-to-point type must be in its receiver's consumes, published by a service, and received point to point by one service only: ${jsonencode(local.point_to_point_claims)}"
  }
}
