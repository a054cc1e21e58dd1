# terraform test: the whole composition, with the REAL catalog
# (services/*/src/*/service.yaml), against a mocked AWS provider. The task
# policies the real provider renders are in tests/task_policies.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name            = "bazaar-test"
  environment     = "dev"
  region          = "eu-west-1"
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
  az_count        = 2

  # One tag per service of the real catalog, read as modules/catalog reads it
  # (from this folder, where terraform test runs): make new-service adds one.
  image_tags = {
    for file in fileset("../../../..", "services/*/src/*/service.yaml") :
    yamldecode(file("../../../../${file}")).name => "3f2a9c1d0b7e"
  }
}

# A run without api_domain_name (and with enable_web, the default) also
# expects web.tf's check to fail: the web app's API origin is then the ALB's
# own name, which its certificate does not cover. A real plan only warns.

# The event archive's key, known at plan, so its policies are read then and
# the runs below can tell the writer's from the reader's.
override_resource {
  target          = module.event_archive.aws_kms_key.this
  override_during = plan
  values          = { arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", key_id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" }
}

# Every whole-composition plan costs seconds of CPU, so the checks of one
# set of inputs share one run: this one the defaults, the next one every
# option turned on. The options are independent of each other, and each
# assertion reads only what its own option changes; what holds by default
# (no record, no backup plan, the audit kept) is asserted here.
run "the_composition_with_default_inputs" {
  command = plan

  # No api_domain_name: the web app's API origin is the ALB's own name,
  # which web.tf's check warns about (a warning in a real plan).
  expect_failures = [check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]

  # Told apart, so the test sees which one a task role gets.
  override_data {
    target = module.event_archive.data.aws_iam_policy_document.writer
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Writer\"}]}" }
  }

  override_data {
    target = module.event_archive.data.aws_iam_policy_document.reader
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Reader\"}]}" }
  }

  # The distribution's name and the two clients' ids, known at plan here as
  # they are once made, so the callback URLs and AUTH_CLIENT_IDS are read.
  override_resource {
    target          = module.web[0].aws_cloudfront_distribution.this
    override_during = plan
    values          = { id = "E1WEBTEST00001", arn = "arn:aws:cloudfront::111122223333:distribution/E1WEBTEST00001", domain_name = "d111111abcdef8.cloudfront.net" }
  }

  override_resource {
    target          = module.alb.aws_lb.this
    override_during = plan
    values = {
      arn        = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/bazaar-test-alb/50dc6c495c0c9188"
      arn_suffix = "app/bazaar-test-alb/50dc6c495c0c9188"
      dns_name   = "bazaar-test-alb-1234567890.eu-west-1.elb.amazonaws.com"
      zone_id    = "Z32O12XQLNTSW2"
    }
  }

  override_resource {
    target          = module.identity.aws_cognito_user_pool_client.this
    override_during = plan
    values          = { id = "4example7appclient" }
  }

  override_resource {
    target          = aws_cognito_user_pool_client.browser[0]
    override_during = plan
    values          = { id = "5example8browserclient" }
  }

  assert {
    condition     = length(module.catalog.services) >= 4 && alltrue([for svc in ["inventory", "orders", "payments", "audit"] : contains(keys(module.catalog.services), svc)])
    error_message = "The test reads the real catalog (inventory, orders, payments, audit at least)."
  }

  assert {
    condition     = output.service_inputs["orders"].image == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/bazaar-test/orders:3f2a9c1d0b7e" && keys(output.repository_urls) == keys(module.catalog.services)
    error_message = "Every catalog service's image is <account>.dkr.ecr.<region>.amazonaws.com/<name>/<service>:<tag>, in the registry made apart (infra/terraform/registry)."
  }

  assert {
    condition     = keys(module.alb.target_group_arns) == keys(module.catalog.services)
    error_message = "Every catalog service gets a target group (and its listener rule)."
  }

  assert {
    condition     = keys(module.discovery.service_arns) == keys(module.catalog.services)
    error_message = "Every catalog service gets a Cloud Map service."
  }

  assert {
    condition     = output.namespace == "dev.bazaar.internal"
    error_message = "The namespace is <environment>.bazaar.internal."
  }

  assert {
    condition     = output.service_names == { for svc in keys(module.catalog.services) : svc => "bazaar-test-${svc}" }
    error_message = "Every catalog service gets an ECS service named <resource_prefix>-<service>."
  }

  assert {
    condition = alltrue([
      for svc, inputs in output.service_inputs : inputs.environment.ENVIRONMENT == "dev" && contains(keys(inputs.environment), "AUTH_ISSUER") && contains(keys(inputs.environment), "AUTH_JWKS_URL") && contains(keys(inputs.environment), "AUTH_CLIENT_IDS") && inputs.environment.OTEL_TRACES_SAMPLER_ARG == "0.1"
    ])
    error_message = "Every service gets ENVIRONMENT, the AUTH_* settings and a 0.1 trace sample ratio by default."
  }

  assert {
    condition     = output.service_inputs["orders"].environment.INVENTORY_URL == "http://inventory.dev.bazaar.internal:${module.catalog.services["inventory"].port}"
    error_message = "orders' INVENTORY_URL is inventory's Cloud Map name and catalog port."
  }

  assert {
    condition     = alltrue([for svc, inputs in output.service_inputs : !contains(keys(inputs.environment), "RUN_MIGRATIONS")])
    error_message = "No service is special: every task runs its migrations in its migrations container (the service module)."
  }

  assert {
    condition     = alltrue([for svc, inputs in output.service_inputs : inputs.environment.KEEP_ALIVE_SECONDS == "75"])
    error_message = "Every service keeps idle connections 15 s longer than the ALB's 60 s."
  }

  assert {
    condition     = alltrue([for svc, inputs in output.service_inputs : !contains(keys(inputs.environment), "AWS_ENDPOINT_URL")])
    error_message = "No service in AWS is pointed at an emulator."
  }

  assert {
    condition     = alltrue([for svc, spec in output.services : spec.min_tasks >= 2 && spec.max_tasks >= spec.min_tasks])
    error_message = "Every service runs at least two tasks by default (two availability zones)."
  }

  assert {
    condition = (
      keys(output.database_bootstrap.tasks) == keys(module.catalog.services) &&
      alltrue([for svc, task in output.database_bootstrap.tasks : task.task_definition == "bazaar-test-${svc}-database" && task.service_name == "bazaar-test-${svc}"]) &&
      output.database_bootstrap.cluster == "bazaar-test"
    )
    error_message = "Every catalog service has its database bootstrap task, named for the deploy to run."
  }

  assert {
    condition     = module.identity.explicit_auth_flows == tolist(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    error_message = "By default the app client accepts SRP and refresh tokens only: ${jsonencode(module.identity.explicit_auth_flows)}"
  }

  assert {
    condition     = sort(keys(module.messaging.queue_arns)) == sort([for svc, spec in module.catalog.services : svc if length(spec.consumes) > 0])
    error_message = "Every consuming service, and only those, gets a queue."
  }

  assert {
    condition     = keys(module.messaging.dlq_arns) == keys(module.messaging.queue_arns)
    error_message = "Every queue has its DLQ."
  }

  assert {
    condition     = module.messaging.bus_name == "bazaar-test"
    error_message = "The bus is named after the resource prefix (= name by default)."
  }

  assert {
    condition = alltrue([
      for svc, inputs in output.service_inputs : (
        length(module.catalog.services[svc].consumes) > 0 ?
        inputs.queue_arn == "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-${svc}" && inputs.dlq_arn == "arn:aws:sqs:eu-west-1:111122223333:bazaar-test-${svc}-dlq" :
        inputs.queue_arn == null && inputs.dlq_arn == null
      )
    ])
    error_message = "Each service is given its own queue and DLQ (null for one that consumes nothing)."
  }

  assert {
    condition     = length(distinct([for inputs in values(output.service_inputs) : inputs.queue_arn if inputs.queue_arn != null])) == length(module.messaging.queue_arns)
    error_message = "No two services share a queue."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.database) == keys(module.catalog.services)
    error_message = "Every service's tasks may reach the database."
  }

  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.database : rule.from_port == 5432 && rule.to_port == 5432 && rule.ip_protocol == "tcp" && rule.cidr_ipv4 == null])
    error_message = "Database rules open TCP 5432 from security groups only."
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.call) == ["orders-to-inventory"] && keys(aws_vpc_security_group_egress_rule.call) == ["orders-to-inventory"]
    error_message = "orders -> inventory is the one service-to-service path."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.call["orders-to-inventory"].from_port == module.catalog.services["inventory"].port &&
      aws_vpc_security_group_egress_rule.call["orders-to-inventory"].to_port == module.catalog.services["inventory"].port
    )
    error_message = "The orders -> inventory rules are on inventory's catalog port."
  }

  assert {
    condition     = length(aws_route53_record.api) == 0 && output.api_url == null
    error_message = "Without api_domain_name there is no record (the operator points the name)."
  }

  assert {
    condition = alltrue([
      for svc, inputs in output.service_inputs : module.service[svc].metrics_namespace == "Bazaar/bazaar-test"
    ])
    error_message = "Every service's collector exports to Bazaar/<name>, which modules/observability reads."
  }

  assert {
    condition     = length(module.backup) == 0 && output.backup == null
    error_message = "No AWS Backup plan unless aws_backup is given."
  }

  assert {
    condition     = contains(keys(module.audit[0].config_rule_names), "rds-cluster-deletion-protection-enabled") == var.deletion_protection && contains(keys(module.audit[0].config_rule_names), "ecs-task-definition-linux-user-non-root")
    error_message = "AWS Config checks the platform's promises; the deletion-protection rule follows deletion_protection."
  }

  assert {
    condition = jsonencode({
      for svc, inputs in output.service_inputs : svc => inputs.environment.EVENT_ARCHIVE_BUCKET if contains(keys(inputs.environment), "EVENT_ARCHIVE_BUCKET")
    }) == jsonencode({ audit = "bazaar-test-event-archive-111122223333" })
    error_message = "audit alone is told the event archive bucket (EVENT_ARCHIVE_BUCKET)."
  }

  assert {
    condition = jsonencode({
      for svc, inputs in output.service_inputs : svc => inputs.task_role_policies if length(inputs.task_role_policies) > 0
    }) == jsonencode({ audit = { event-archive = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Writer\"}]}" } })
    error_message = "audit's task role alone gets a further policy: the event archive's writer policy; no service reads it by default."
  }

  assert {
    condition = (
      output.event_archive_bucket.name == "bazaar-test-event-archive-111122223333" &&
      output.event_archive_bucket.lock_mode == "COMPLIANCE" && output.event_archive_bucket.lock_days == 365 &&
      output.event_archive_bucket.access == tomap({ audit = "writer" })
    )
    error_message = "The event archive is locked in COMPLIANCE for 365 days by default, and audit writes it."
  }

  assert {
    condition = (
      length(module.web) == 1 &&
      output.web_url == "https://d111111abcdef8.cloudfront.net" &&
      output.web_bucket == "bazaar-test-web-111122223333" &&
      output.web_distribution_id == "E1WEBTEST00001"
    )
    error_message = "The browser app is hosted by default, on its *.cloudfront.net name, from bazaar-test-web-<account>."
  }

  assert {
    condition     = module.web[0].api_path_patterns == [for svc in values(module.catalog.services) : "${svc.path_prefix}*"]
    error_message = "Every catalog service's path prefix, and nothing else, is sent to the API: ${jsonencode(module.web[0].api_path_patterns)}"
  }

  assert {
    condition     = module.web[0].api_origin_domain_name == "bazaar-test-alb-1234567890.eu-west-1.elb.amazonaws.com"
    error_message = "Without api_domain_name the API's origin is the ALB's own name (the check warns: its certificate does not cover it)."
  }

  assert {
    condition     = module.identity.domain == "bazaar-test-111122223333"
    error_message = "The hosted UI's domain is <name>-<account id>."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.browser[0].name == "bazaar-test-browser" &&
      aws_cognito_user_pool_client.browser[0].generate_secret == false &&
      aws_cognito_user_pool_client.browser[0].allowed_oauth_flows_user_pool_client &&
      aws_cognito_user_pool_client.browser[0].allowed_oauth_flows == toset(["code"]) &&
      aws_cognito_user_pool_client.browser[0].allowed_oauth_scopes == toset(["openid", "email", "profile"]) &&
      aws_cognito_user_pool_client.browser[0].explicit_auth_flows == toset(["ALLOW_REFRESH_TOKEN_AUTH"]) &&
      aws_cognito_user_pool_client.browser[0].supported_identity_providers == toset(["COGNITO"])
    )
    error_message = "The browser's client is public (no secret), for the hosted UI's code flow only (PKCE: no secret to send instead), openid email profile, no SRP or password flow."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.browser[0].callback_urls == toset(["https://d111111abcdef8.cloudfront.net/auth/callback"]) &&
      aws_cognito_user_pool_client.browser[0].logout_urls == toset(["https://d111111abcdef8.cloudfront.net/"])
    )
    error_message = "Cognito returns to https://<distribution>/auth/callback after sign-in and to https://<distribution>/ after sign-out, nowhere else."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.browser[0].access_token_validity == 60 &&
      aws_cognito_user_pool_client.browser[0].refresh_token_validity == 12 &&
      aws_cognito_user_pool_client.browser[0].token_validity_units[0].refresh_token == "hours" &&
      aws_cognito_user_pool_client.browser[0].enable_token_revocation
    )
    error_message = "A browser's tokens: an hour's access token, a refresh token of 12 hours, revocable."
  }

  assert {
    condition     = alltrue([for svc, inputs in output.service_inputs : inputs.environment.AUTH_CLIENT_IDS == "4example7appclient,5example8browserclient"])
    error_message = "Every service accepts the app client's tokens and the browser's (AUTH_CLIENT_IDS, comma-separated)."
  }

  assert {
    condition = jsondecode(module.web[0].config_json) == {
      auth = {
        kind         = "cognito-hosted-ui"
        authority    = "https://bazaar-test-111122223333.auth.eu-west-1.amazoncognito.com"
        clientId     = "5example8browserclient"
        redirectPath = "/auth/callback"
        scopes       = ["openid", "email", "profile"]
      }
    }
    error_message = "config.json names the hosted UI, the browser's client, its callback path and scopes: ${module.web[0].config_json}"
  }

  assert {
    condition     = output.browser_client_id == "5example8browserclient"
    error_message = "The browser's client is an output (the operators' and the load test's)."
  }
}

run "every_option_reaches_its_module" {
  command = plan

  variables {
    environment               = "staging"
    allow_admin_password_auth = true
    min_tasks_per_service     = 1
    api_domain_name           = "api.dev.example.com"
    route53_zone_id           = "Z0123456789ABCDEFGHIJ"
    alarm_subscriptions       = [{ protocol = "email", endpoint = "oncall@example.com" }]
    monthly_budget_usd        = 400
    db_backup_retention_days  = 35
    aws_backup = {
      daily_retention_days = 90
      continuous           = true
      vault_lock_min_days  = 7
    }
    backup_copy_vault_arn = "arn:aws:backup:eu-central-1:111122223333:backup-vault:bazaar-test-copy"
    manage_account_audit  = false

    event_archive_bucket_lock_mode     = "GOVERNANCE"
    event_archive_bucket_lock_days     = 90
    event_archive_bucket_access        = { audit = "writer", orders = "reader" }
    enable_event_archive_bucket_policy = false

    web_aliases            = ["shop.dev.example.com"]
    web_certificate_arn    = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    web_price_class        = "PriceClass_All"
    web_auth_domain_prefix = "bazaar-test-login"
  }

  override_data {
    target = module.event_archive.data.aws_iam_policy_document.reader
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Reader\"}]}" }
  }

  override_resource {
    target          = module.web[0].aws_cloudfront_distribution.this
    override_during = plan
    values          = { id = "E1WEBTEST00001", arn = "arn:aws:cloudfront::111122223333:distribution/E1WEBTEST00001", domain_name = "d111111abcdef8.cloudfront.net" }
  }

  assert {
    condition     = module.web[0].api_origin_domain_name == "api.dev.example.com"
    error_message = "With api_domain_name the API's origin is that name, the one the ALB's certificate is for."
  }

  assert {
    condition     = output.web_url == "https://shop.dev.example.com" && module.identity.domain == "bazaar-test-login"
    error_message = "With an alias the app's URL is the alias; web_auth_domain_prefix names the hosted UI."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.browser[0].callback_urls == toset(["https://shop.dev.example.com/auth/callback", "https://d111111abcdef8.cloudfront.net/auth/callback"]) &&
      aws_cognito_user_pool_client.browser[0].logout_urls == toset(["https://shop.dev.example.com/", "https://d111111abcdef8.cloudfront.net/"])
    )
    error_message = "Sign-in and sign-out return to the alias and to the distribution's own name."
  }

  assert {
    condition     = module.identity.explicit_auth_flows == tolist(["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    error_message = "allow_admin_password_auth adds ALLOW_ADMIN_USER_PASSWORD_AUTH (and no USER_PASSWORD_AUTH) to the app client: ${jsonencode(module.identity.explicit_auth_flows)}"
  }

  assert {
    condition     = alltrue([for svc, spec in output.services : spec.min_tasks == module.catalog.services[svc].min_tasks])
    error_message = "With a floor of 1 each service runs its catalog's min_tasks."
  }

  assert {
    condition = (
      length(aws_route53_record.api) == 1 &&
      aws_route53_record.api[0].name == "api.dev.example.com" &&
      aws_route53_record.api[0].zone_id == "Z0123456789ABCDEFGHIJ" &&
      aws_route53_record.api[0].type == "A" &&
      output.api_url == "https://api.dev.example.com"
    )
    error_message = "The API's name is an alias record in the given zone, and api_url says so."
  }

  assert {
    condition = alltrue([
      for svc in keys(module.catalog.services) : alltrue([
        for family in ["5xx-rate", "latency-p99", "unhealthy-hosts", "tasks-below-desired"] :
        contains(module.observability.alarm_names, "bazaar-test-${svc}-${family}")
      ])
    ])
    error_message = "Every catalog service has its 5xx, p99, unhealthy-hosts and running-tasks alarms."
  }

  assert {
    condition = alltrue([
      for svc, queue in module.catalog.queues : contains(module.observability.alarm_names, "${queue.dlq_name}-not-empty") && contains(module.observability.alarm_names, "${queue.queue_name}-oldest-message")
    ])
    error_message = "Every consumer's DLQ and queue age are watched (the alarms moved from messaging)."
  }

  assert {
    condition     = module.observability.dashboard_name == "bazaar-test" && module.observability.budget_name != null
    error_message = "One dashboard per environment, and the budget when monthly_budget_usd is set."
  }

  assert {
    condition     = length(module.backup) == 1 && output.backup.recovery_point_objective.point_in_time_restore
    error_message = "aws_backup makes the plan, with point-in-time recovery when continuous."
  }

  assert {
    condition     = module.database.backup_retention_period == 35
    error_message = "Aurora's own retention is db_backup_retention_days, the continuous rule's too."
  }

  assert {
    condition     = length(module.audit) == 0 && output.audit_bucket_name == null
    error_message = "manage_account_audit = false makes no trail, recorder or rules."
  }

  assert {
    condition = (
      output.service_inputs["orders"].environment.EVENT_ARCHIVE_BUCKET == "bazaar-test-event-archive-111122223333" &&
      jsonencode(output.service_inputs["orders"].task_role_policies) == jsonencode({ event-archive = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Reader\"}]}" }) &&
      !contains(keys(output.service_inputs["payments"].environment), "EVENT_ARCHIVE_BUCKET") && length(output.service_inputs["payments"].task_role_policies) == 0
    )
    error_message = "A reader in event_archive_bucket_access gets the bucket and the reader policy; a service not named gets neither."
  }

  assert {
    condition     = output.event_archive_bucket.lock_mode == "GOVERNANCE" && output.event_archive_bucket.lock_days == 90
    error_message = "The event archive's lock follows event_archive_bucket_lock_mode and _days."
  }
}

# The listener rules are inside module.alb, which a test cannot reach into:
# the alb module is planned here with exactly the services the platform
# passes it (the real catalog), and each rule's path patterns compared with
# the catalog's.
run "every_listener_rule_matches_exactly_the_catalogs_path_patterns" {
  command = plan

  module {
    source = "../alb"
  }

  variables {
    vpc_id            = "vpc-0a1b2c3d4e5f60718"
    vpc_cidr          = "10.10.0.0/16"
    public_subnet_ids = ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702"]
    services          = run.the_composition_with_default_inputs.services
  }

  assert {
    condition     = keys(aws_lb_listener_rule.service) == keys(run.the_composition_with_default_inputs.services)
    error_message = "Every catalog service gets a listener rule."
  }

  assert {
    condition = alltrue([
      for svc, spec in run.the_composition_with_default_inputs.services :
      tolist(aws_lb_listener_rule.service[svc].condition)[0].path_pattern[0].values == toset(spec.path_patterns) &&
      aws_lb_listener_rule.service[svc].priority == spec.priority
    ])
    error_message = "A listener rule's path patterns or priority differ from the catalog's."
  }

  assert {
    condition     = alltrue([for svc, spec in run.the_composition_with_default_inputs.services : aws_lb_target_group.service[svc].port == spec.port && aws_lb_target_group.service[svc].health_check[0].path == spec.health_path])
    error_message = "A target group's port or health check path differs from the catalog's."
  }
}

run "a_missing_image_tag_is_refused" {
  command = plan

  variables {
    image_tags = { for service, tag in var.image_tags : service => tag if service != "orders" }
  }

  expect_failures = [var.image_tags, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "an_image_tag_for_a_service_the_catalog_lacks_is_refused" {
  command = plan

  variables {
    image_tags = merge(var.image_tags, { order = "3f2a9c1d0b7e" })
  }

  expect_failures = [var.image_tags, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "latest_is_refused_as_an_image_tag" {
  command = plan

  variables {
    image_tags = merge(var.image_tags, { audit = "latest" })
  }

  expect_failures = [var.image_tags, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "an_unknown_environment_is_refused" {
  command = plan

  variables {
    environment = "qa"
  }

  expect_failures = [var.environment, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "prod_refuses_one_task_per_service" {
  command = plan

  variables {
    environment           = "prod"
    min_tasks_per_service = 1
  }

  expect_failures = [var.min_tasks_per_service, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "prod_refuses_an_event_archive_an_administrator_could_erase" {
  command = plan

  variables {
    environment                    = "prod"
    event_archive_bucket_lock_mode = "GOVERNANCE"
  }

  expect_failures = [var.event_archive_bucket_lock_mode, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "a_second_event_archive_writer_is_refused" {
  command = plan

  variables {
    event_archive_bucket_access = { audit = "writer", orders = "writer" }
  }

  expect_failures = [var.event_archive_bucket_access, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "an_event_archive_reader_the_catalog_lacks_is_refused" {
  command = plan

  variables {
    # A read model reads the archive once it is in the catalog, not before.
    event_archive_bucket_access = { audit = "writer", loyalty = "reader" }
  }

  expect_failures = [var.event_archive_bucket_access, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "an_unknown_event_archive_access_is_refused" {
  command = plan

  variables {
    event_archive_bucket_access = { audit = "admin" }
  }

  expect_failures = [var.event_archive_bucket_access, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "local_is_only_for_an_emulator" {
  command = plan

  variables {
    environment = "local"
  }

  expect_failures = [var.emulator_endpoint_url, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "an_emulator_is_never_set_for_aws" {
  command = plan

  variables {
    emulator_endpoint_url = "http://moto:5000"
  }

  expect_failures = [var.emulator_endpoint_url, check.the_web_apps_api_origin_is_a_name_the_albs_certificate_covers]
}

run "on_an_emulator_the_services_call_it_for_aws_and_for_the_jwks" {
  command = plan

  # The pool's id is known at plan here, as it is once the pool exists.
  override_module {
    target = module.identity
    outputs = {
      user_pool_id = "eu-west-1_Example"
      issuer       = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"
      jwks_url     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example/.well-known/jwks.json"
      client_id    = "4example7clientid"
    }
  }

  variables {
    environment           = "local"
    emulator_endpoint_url = "http://moto:5000"
    # As envs/moto: moto lacks what the browser app's hosting calls.
    enable_web = false
  }

  assert {
    condition = (
      length(module.web) == 0 && length(aws_cognito_user_pool_client.browser) == 0 &&
      output.web_url == null && output.web_bucket == null && output.web_distribution_id == null && output.browser_client_id == null
    )
    error_message = "enable_web = false leaves out the bucket, the distribution and the browser's client."
  }

  assert {
    condition     = alltrue([for svc, inputs in output.service_inputs : inputs.environment.AUTH_CLIENT_IDS == "4example7clientid"])
    error_message = "Without the browser's client the services accept the app client's tokens alone."
  }

  assert {
    condition = alltrue([
      for svc, inputs in output.service_inputs :
      inputs.environment.AWS_ENDPOINT_URL == "http://moto:5000" && inputs.environment.AUTH_JWKS_URL == "http://moto:5000/eu-west-1_Example/.well-known/jwks.json" && inputs.environment.ENVIRONMENT == "local"
    ])
    error_message = "On an emulator every service calls it, for AWS and for the pool's keys, as ENVIRONMENT local."
  }
}

run "a_name_without_its_zone_is_refused" {
  command = plan

  variables {
    api_domain_name = "api.dev.example.com"
  }

  expect_failures = [var.route53_zone_id]
}
