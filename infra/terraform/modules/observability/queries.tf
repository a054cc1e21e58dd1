# Saved Logs Insights queries over every service's log group, in a folder
# named after the environment (CloudWatch shows "<name>/..." as a folder).
# They read the JSON lines of bazaar_common.logging: level, service, logger,
# message, request_id, trace_id, and on the access log's "request" lines
# method, path, route (the route template), status and duration_ms. The
# collector's and the migrations' lines in the same groups lack these fields
# and fall out of every filter.

locals {
  queries = {
    # What is failing, and where, first: counts per service and logger.
    "errors-by-service" = <<-EOT
      fields @timestamp, service, logger, level, status
      | filter level = "ERROR" or status >= 500
      | stats count(*) as errors by service, logger
      | sort errors desc
    EOT

    # Then the failures themselves, newest first, with what leads on.
    "recent-errors" = <<-EOT
      fields @timestamp, service, logger, message, method, route, status, error, reason, request_id, trace_id, exception
      | filter level = "ERROR" or status >= 500
      | sort @timestamp desc
      | limit 100
    EOT

    # One request across services: the operator puts its trace id (from any
    # of its log lines, or X-Ray) in place of the placeholder. With only the
    # X-Request-ID a client saw, filter request_id instead: it is one
    # service's, the trace id every service's.
    "request-by-trace-id" = <<-EOT
      fields @timestamp, service, level, logger, message, method, route, status, duration_ms, request_id, event_type, @logStream
      | filter trace_id = "REPLACE-WITH-TRACE-ID"
      | sort @timestamp asc
      | limit 1000
    EOT

    # Grouped by service and route template, so orders' /{order_id} is one line, not one
    # per order.
    "slowest-routes" = <<-EOT
      fields service, method, route, duration_ms
      | filter message = "request" and ispresent(route)
      | stats count(*) as requests, avg(duration_ms) as avg_ms, pct(duration_ms, 99) as p99_ms, max(duration_ms) as max_ms by service, method, route
      | sort p99_ms desc
      | limit 25
    EOT

    # Why events do not leave a publisher: the relay's warnings and errors
    # (refused batches with their first_error, backoff, lost LISTEN).
    "outbox-relay" = <<-EOT
      fields @timestamp, service, relay, level, message, first_error, published, failed, failures, retry_in_seconds, outbox_lag_seconds
      | filter logger = "bazaar.messaging.relay" and level in ["WARNING", "ERROR"]
      | sort @timestamp desc
      | limit 100
    EOT

    # Why messages head for a DLQ: the consumer's failure and poison lines.
    "consumer-failures" = <<-EOT
      fields @timestamp, service, queue, event_type, message, reason, receive_count, message_id
      | filter logger = "bazaar.messaging.consumer" and level = "ERROR"
      | stats count(*) as failures, max(receive_count) as max_receives, latest(reason) as last_reason by service, event_type, message
      | sort failures desc
    EOT
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = var.enable_saved_queries ? local.queries : {}

  name            = "${var.name}/${each.key}"
  log_group_names = sort(values(var.log_group_names))
  query_string    = trimspace(each.value)
}
