# terraform test: the catalog of this repository, read and derived.

variables {
  resource_prefix = "bazaar-test"
}

run "every_service_folder_is_a_service" {
  command = plan

  assert {
    # At least the four; tests/terraform/test_catalog_module.py holds the whole
    # list to bazaar_common's, whatever services make new-service added.
    condition     = length(setsubtract(["audit", "inventory", "orders", "payments"], keys(output.services))) == 0
    error_message = "The catalog should hold the four services at least: ${jsonencode(keys(output.services))}"
  }

  assert {
    condition     = output.services.orders.path_patterns == ["/orders", "/orders/*"]
    error_message = "A route matches its bare prefix and everything under it."
  }

  assert {
    condition     = output.services.inventory.port == 8001 && output.services.inventory.health_path == "/healthz"
    error_message = "inventory's port and health path come from its service.yaml."
  }
}

run "every_consumer_gets_a_queue_a_dlq_and_a_rule" {
  command = plan

  assert {
    condition     = output.queues.orders.queue_name == "bazaar-test-orders" && output.queues.orders.dlq_name == "bazaar-test-orders-dlq"
    error_message = "Queue names are <prefix>-<service> and <prefix>-<service>-dlq."
  }

  assert {
    condition     = output.queues.orders.rule_name == "bazaar-test-to-orders"
    error_message = "Rule names are <prefix>-to-<service>."
  }

  assert {
    condition     = contains(output.queues.payments.detail_types, "CapturePayment")
    error_message = "payments consumes CapturePayment."
  }

  assert {
    condition     = output.queues.orders.visibility_timeout_seconds == 10
    error_message = "orders' visibility timeout comes from its service.yaml."
  }

  assert {
    condition     = output.bus_name == "bazaar-test"
    error_message = "The bus is named after the prefix."
  }
}

run "saga_commands_and_replies_go_point_to_point" {
  command = plan

  assert {
    condition     = output.point_to_point.ReserveStock == "inventory" && output.point_to_point.CapturePayment == "payments" && output.point_to_point.StockReserved == "orders"
    error_message = "Each saga command and reply has its one receiver: ${jsonencode(output.point_to_point)}"
  }

  assert {
    condition     = !contains(keys(output.point_to_point), "OrderConfirmed") && !contains(keys(output.point_to_point), "StockReleased")
    error_message = "Domain events and replies nobody but audit waits for stay on the bus alone."
  }

  assert {
    condition     = output.sends_point_to_point.orders == { CapturePayment = "payments", CommitStock = "inventory", RefundPayment = "payments", ReleaseStock = "inventory", ReserveStock = "inventory" }
    error_message = "orders' relay sends the saga's commands point to point: ${jsonencode(output.sends_point_to_point.orders)}"
  }

  assert {
    condition     = output.sends_point_to_point.shipping == {} && output.sends_point_to_point.audit == {}
    error_message = "A service that publishes no point-to-point type sends nothing point to point."
  }

  assert {
    condition = jsondecode(output.queues.inventory.event_pattern) == {
      "detail-type" = ["CommitStock", "ReleaseStock", "ReserveStock"]
      "replay-name" = [{ exists = true }]
    }
    error_message = "inventory's rule takes its point-to-point commands only when an archive replays them."
  }

  assert {
    condition     = contains(jsondecode(output.queues.audit.event_pattern)["detail-type"], "ReserveStock")
    error_message = "audit still takes every command off the bus."
  }
}

run "a_type_received_point_to_point_twice_fails_the_check" {
  command = plan

  variables {
    repository_root = "./tests/fixtures/point-to-point-twice"
  }

  expect_failures = [check.point_to_point_types_are_consumed_published_and_received_once]
}

run "a_consumed_type_nobody_publishes_fails_the_check" {
  command = plan

  variables {
    repository_root = "./tests/fixtures/orphan"
  }

  expect_failures = [check.every_consumed_type_is_published]
}

run "a_bad_prefix_is_refused" {
  command = plan

  variables {
    resource_prefix = "Bad_Prefix"
  }

  expect_failures = [var.resource_prefix]
}
