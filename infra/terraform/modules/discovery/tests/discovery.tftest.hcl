# terraform test: the discovery module against a mocked AWS provider.

mock_provider "aws" {
  mock_resource "aws_service_discovery_private_dns_namespace" {
    defaults = {
      id  = "ns-abcdefghijklmnop"
      arn = "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdefghijklmnop"
    }
  }
}

variables {
  name      = "bazaar-test"
  namespace = "bazaar.internal"
  vpc_id    = "vpc-0123456789abcdef0"
  tags      = { Project = "bazaar" }

  # Extra attributes, as module.catalog.services has, are dropped by the type.
  services = {
    orders    = { port = 8002 }
    inventory = { port = 8001 }
    audit     = {}
  }
}

run "a_private_dns_namespace_in_the_vpc" {
  command = plan

  assert {
    condition     = aws_service_discovery_private_dns_namespace.this.name == "bazaar.internal" && aws_service_discovery_private_dns_namespace.this.vpc == "vpc-0123456789abcdef0"
    error_message = "The namespace should be the given DNS name, private to the given VPC."
  }

  assert {
    condition     = output.namespace_name == "bazaar.internal"
    error_message = "namespace_name should be the namespace's DNS name."
  }
}

run "one_discovery_service_per_catalog_service_with_multivalue_a_records" {
  command = apply

  assert {
    condition     = toset(keys(aws_service_discovery_service.this)) == toset(["audit", "inventory", "orders"])
    error_message = "There should be one Cloud Map service per given service: ${jsonencode(keys(aws_service_discovery_service.this))}"
  }

  assert {
    condition     = alltrue([for service, discovery in aws_service_discovery_service.this : discovery.name == service])
    error_message = "Each Cloud Map service is named after its catalog service (it resolves as <service>.<namespace>)."
  }

  assert {
    condition = alltrue([
      for discovery in aws_service_discovery_service.this :
      discovery.dns_config[0].namespace_id == "ns-abcdefghijklmnop" &&
      discovery.dns_config[0].routing_policy == "MULTIVALUE" &&
      length(discovery.dns_config[0].dns_records) == 1 &&
      discovery.dns_config[0].dns_records[0].type == "A" &&
      discovery.dns_config[0].dns_records[0].ttl == 10
    ])
    error_message = "Every service should have MULTIVALUE routing and a single A record with TTL 10 in the module's namespace."
  }

  assert {
    condition     = alltrue([for discovery in aws_service_discovery_service.this : discovery.health_check_custom_config[0].failure_threshold == 1])
    error_message = "Every service should use a custom health check with failure_threshold 1."
  }

  assert {
    condition     = alltrue([for discovery in aws_service_discovery_service.this : length(discovery.health_check_config) == 0])
    error_message = "No Route 53 health check (it cannot reach private IPs)."
  }

  assert {
    condition     = toset(keys(output.service_arns)) == toset(keys(var.services)) && toset(keys(output.service_ids)) == toset(keys(var.services))
    error_message = "service_arns and service_ids should be keyed by service."
  }

  assert {
    condition     = output.service_arns["orders"] == aws_service_discovery_service.this["orders"].arn && output.service_ids["audit"] == aws_service_discovery_service.this["audit"].id
    error_message = "service_arns / service_ids should map each service to its Cloud Map service."
  }

  assert {
    condition     = output.service_dns_names["inventory"] == "inventory.bazaar.internal"
    error_message = "A service resolves as <service>.<namespace>."
  }

  assert {
    condition     = output.namespace_id == "ns-abcdefghijklmnop" && output.namespace_arn == "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abcdefghijklmnop"
    error_message = "The namespace's ID and ARN should be outputs."
  }

  assert {
    condition     = aws_service_discovery_service.this["orders"].tags.Project == "bazaar" && aws_service_discovery_service.this["orders"].force_destroy == false
    error_message = "Services carry the given tags, and force_destroy is off by default."
  }
}

run "a_single_label_namespace_is_refused" {
  command = plan

  variables {
    namespace = "internal"
  }

  expect_failures = [var.namespace]
}

run "a_namespace_with_bad_characters_is_refused" {
  command = plan

  variables {
    namespace = "Bazaar_Internal.local"
  }

  expect_failures = [var.namespace]
}

run "a_namespace_with_a_trailing_dot_is_refused" {
  command = plan

  variables {
    namespace = "bazaar.internal."
  }

  expect_failures = [var.namespace]
}

run "an_empty_services_map_is_refused" {
  command = plan

  variables {
    services = {}
  }

  expect_failures = [var.services]
}

run "a_service_name_that_is_no_dns_label_is_refused" {
  command = plan

  variables {
    services = { "orders-" = {} }
  }

  expect_failures = [var.services]
}

run "a_malformed_vpc_id_is_refused" {
  command = plan

  variables {
    vpc_id = "my-vpc"
  }

  expect_failures = [var.vpc_id]
}
