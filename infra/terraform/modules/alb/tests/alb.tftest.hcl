# terraform test: the ALB module against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  mock_data "aws_elb_service_account" {
    defaults = {
      arn = "arn:aws:iam::156460612806:root"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bazaar-test-alb/50dc6c495c0c9188"
    }
  }

  mock_resource "aws_lb_listener" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/bazaar-test-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
    }
  }

  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bazaar-test-svc/73e2d6bc24d8a067"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-bazaar-test"
    }
  }

  mock_resource "aws_wafv2_web_acl" {
    defaults = {
      arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/bazaar-test-alb/0a1b2c3d"
    }
  }

  # Known at plan: the option run below checks the rule references it.
  mock_resource "aws_wafv2_ip_set" {
    override_during = plan
    defaults = {
      arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/bazaar-test-rate-limit-exempt/4e5f6071"
    }
  }
}

variables {
  name              = "bazaar-test"
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr          = "10.20.0.0/16"
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

  services = {
    orders = {
      port          = 8002
      path_patterns = ["/orders", "/orders/*"]
      priority      = 20
      health_path   = "/readyz"
    }
    inventory = {
      port          = 8001
      path_patterns = ["/products", "/products/*"]
      priority      = 10
      health_path   = "/healthz/ready"
    }
  }
}

# A plan of the whole module costs seconds of CPU (the WAF's schema is
# large), so the checks of one set of inputs share one run: this one the
# defaults, the next one every option set. The options are independent of
# each other, and each assertion reads only what its own option changes.
run "the_module_with_default_inputs" {
  # The bucket policy's statements are configuration, so the plan holds
  # them as written (only the rendered json is mocked).
  command = plan

  assert {
    condition     = length(aws_lb_target_group.service) == 2 && length(aws_lb_listener_rule.service) == 2
    error_message = "Every service gets exactly one target group and one listener rule."
  }

  assert {
    condition     = aws_lb_target_group.service["orders"].port == 8002 && aws_lb_target_group.service["inventory"].port == 8001
    error_message = "A target group listens on its service's port."
  }

  assert {
    condition = alltrue([
      for tg in aws_lb_target_group.service : tg.target_type == "ip" && tg.protocol == "HTTP" && tg.deregistration_delay == "20"
    ])
    error_message = "Fargate target groups are ip/HTTP, draining 20 s by default."
  }

  assert {
    condition     = aws_lb_target_group.service["inventory"].health_check[0].path == "/healthz/ready" && aws_lb_target_group.service["inventory"].health_check[0].matcher == "200"
    error_message = "The health check uses the service's health_path and expects 200."
  }

  assert {
    condition     = aws_lb_target_group.service["orders"].name == "bazaar-test-orders"
    error_message = "Target groups are named <name>-<service>."
  }

  assert {
    condition     = aws_lb_listener_rule.service["orders"].priority == 20 && aws_lb_listener_rule.service["inventory"].priority == 10
    error_message = "A listener rule takes its service's priority."
  }

  assert {
    condition     = tolist(aws_lb_listener_rule.service["orders"].condition)[0].path_pattern[0].values == toset(["/orders", "/orders/*"])
    error_message = "A listener rule matches exactly its service's path patterns."
  }

  assert {
    condition     = aws_lb_listener_rule.service["inventory"].action[0].type == "forward"
    error_message = "A listener rule forwards to its target group."
  }

  assert {
    condition     = aws_lb_listener.https.default_action[0].type == "fixed-response"
    error_message = "The HTTPS listener's default action is a fixed response."
  }

  assert {
    condition = (
      aws_lb_listener.https.default_action[0].fixed_response[0].status_code == "404" &&
      aws_lb_listener.https.default_action[0].fixed_response[0].content_type == "application/json"
    )
    error_message = "Unmatched paths answer 404 in JSON (the ALB refuses application/problem+json as a fixed-response type)."
  }

  assert {
    condition = jsondecode(aws_lb_listener.https.default_action[0].fixed_response[0].message_body) == {
      type = "about:blank", title = "Not Found", status = 404, detail = "No route matches this path."
    }
    error_message = "The 404 body is an RFC 9457 problem document."
  }

  assert {
    condition     = aws_lb_listener.https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.https.port == 443 && aws_lb_listener.https.protocol == "HTTPS"
    error_message = "HTTPS on 443 with the TLS 1.3/1.2 policy."
  }

  assert {
    condition     = aws_lb_listener.https.certificate_arn == var.certificate_arn
    error_message = "The HTTPS listener serves the given certificate."
  }

  assert {
    condition = (
      aws_lb_listener.http.port == 80 &&
      aws_lb_listener.http.default_action[0].type == "redirect" &&
      aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.http.default_action[0].redirect[0].port == "443" &&
      aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "Port 80 only answers 301 to HTTPS."
  }

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields == true
    error_message = "Invalid header fields are dropped."
  }

  assert {
    condition     = aws_lb.this.internal == false && aws_lb.this.load_balancer_type == "application"
    error_message = "An internet-facing application load balancer."
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection == true && aws_lb.this.idle_timeout == 60
    error_message = "Deletion protection is on and the idle timeout 60 s by default."
  }

  assert {
    condition     = aws_lb.this.access_logs[0].enabled == true
    error_message = "Access logs are on."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.alb) == 2 && toset([for r in aws_vpc_security_group_ingress_rule.alb : r.from_port]) == toset([80, 443])
    error_message = "Ingress is 80 and 443 from each ingress CIDR (default 0.0.0.0/0)."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.alb : r.cidr_ipv4 == "0.0.0.0/0"])
    error_message = "The default ingress CIDR is 0.0.0.0/0."
  }

  assert {
    condition = (
      toset([for r in aws_vpc_security_group_egress_rule.alb : r.from_port]) == toset([8001, 8002]) &&
      alltrue([for r in aws_vpc_security_group_egress_rule.alb : r.cidr_ipv4 == "10.20.0.0/16"])
    )
    error_message = "Egress goes only to the VPC CIDR, on the services' ports."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.access_logs.block_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.block_public_policy &&
      aws_s3_bucket_public_access_block.access_logs.ignore_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.restrict_public_buckets
    )
    error_message = "Public access to the log bucket is blocked."
  }

  assert {
    condition     = tolist(aws_s3_bucket_server_side_encryption_configuration.access_logs.rule)[0].apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "Logs are encrypted with SSE-S3 (the only kind ALB delivery supports)."
  }

  assert {
    condition     = aws_s3_bucket_versioning.access_logs.versioning_configuration[0].status == "Enabled"
    error_message = "The log bucket is versioned."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.access_logs.rule[0].expiration[0].days == 90
    error_message = "Logs expire after access_logs_expiration_days (90)."
  }

  assert {
    condition     = aws_s3_bucket.access_logs.bucket == "bazaar-test-alb-logs-123456789012"
    error_message = "The bucket is named <name>-alb-logs-<account>."
  }

  assert {
    condition     = contains([for s in data.aws_iam_policy_document.access_logs.statement : s.sid], "DenyInsecureTransport")
    error_message = "The bucket policy denies non-TLS requests."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.access_logs.statement :
      s.effect == "Deny" && anytrue([for c in s.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "The deny is conditioned on aws:SecureTransport = false."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.access_logs.statement :
      anytrue([for p in s.principals : contains(p.identifiers, "arn:aws:iam::156460612806:root")])
    ])
    error_message = "The regional ELB account may deliver logs."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.access_logs.statement :
      anytrue([for p in s.principals : contains(p.identifiers, "logdelivery.elasticloadbalancing.amazonaws.com")])
    ])
    error_message = "The logdelivery service principal may deliver logs."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.access_logs.statement :
      s.resources == toset(["arn:aws:s3:::bazaar-test-alb-logs-123456789012/alb/AWSLogs/123456789012/*"]) if s.effect == "Allow"
    ])
    error_message = "Delivery may write only under the ALB's prefix of this account."
  }
}

run "every_option_reaches_its_resource" {
  command = plan

  variables {
    name                           = "bazaar-a-rather-long-prefix"
    ingress_cidrs                  = ["203.0.113.0/24", "198.51.100.0/24"]
    waf_rate_limit                 = 500
    waf_rate_limit_exempt_cidrs    = ["203.0.113.7/32"]
    waf_common_rule_set_count_only = ["SizeRestrictions_BODY"]
    deletion_protection            = false
    idle_timeout                   = 120
  }

  assert {
    condition     = alltrue([for tg in aws_lb_target_group.service : length(tg.name) <= 32])
    error_message = "Target group names must fit in 32 characters."
  }

  assert {
    condition     = aws_lb_target_group.service["orders"].name != aws_lb_target_group.service["inventory"].name
    error_message = "Shortened names stay unique."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.alb) == 4
    error_message = "Two ports times two CIDRs."
  }

  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.alb : r.cidr_ipv4]) == toset(["203.0.113.0/24", "198.51.100.0/24"])
    error_message = "Only the given CIDRs are let in."
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this[0].rule : r.statement[0].rate_based_statement[0].limit
      if length(r.statement[0].rate_based_statement) == 1
    ] == [500]
    error_message = "The rate limit follows waf_rate_limit."
  }

  assert {
    condition = (
      aws_wafv2_ip_set.rate_limit_exempt[0].addresses == toset(["203.0.113.7/32"]) &&
      aws_wafv2_ip_set.rate_limit_exempt[0].ip_address_version == "IPV4" &&
      aws_wafv2_ip_set.rate_limit_exempt[0].scope == "REGIONAL"
    )
    error_message = "waf_rate_limit_exempt_cidrs become a regional IPv4 IP set."
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this[0].rule : [
        for scope in r.statement[0].rate_based_statement[0].scope_down_statement :
        scope.not_statement[0].statement[0].ip_set_reference_statement[0].arn
      ] if length(r.statement[0].rate_based_statement) == 1
    ] == [[aws_wafv2_ip_set.rate_limit_exempt[0].arn]]
    error_message = "The rate rule counts only requests not from the exempt IP set."
  }

  assert {
    condition = anytrue(flatten([
      for r in aws_wafv2_web_acl.this[0].rule : [
        for m in r.statement[0].managed_rule_group_statement : [
          for o in m.rule_action_override : o.name == "SizeRestrictions_BODY" && length(o.action_to_use[0].count) == 1
        ]
      ]
    ]))
    error_message = "Rules listed in waf_common_rule_set_count_only only count."
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection == false && aws_lb.this.idle_timeout == 120
    error_message = "deletion_protection and idle_timeout are passed through."
  }
}

run "waf_guards_the_load_balancer_by_default" {
  command = apply

  assert {
    condition     = length(aws_wafv2_web_acl.this) == 1 && aws_wafv2_web_acl.this[0].scope == "REGIONAL"
    error_message = "A regional web ACL exists by default."
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this[0].rule : {
        limit  = r.statement[0].rate_based_statement[0].limit
        key    = r.statement[0].rate_based_statement[0].aggregate_key_type
        window = r.statement[0].rate_based_statement[0].evaluation_window_sec
        block  = length(r.action[0].block)
      } if length(r.statement[0].rate_based_statement) == 1
    ] == [{ limit = 2000, key = "IP", window = 300, block = 1 }]
    error_message = "A rate-based rule blocks an IP over 2000 requests per 5 minutes."
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this[0].rule : {
        limit  = r.statement[0].rate_based_statement[0].limit
        window = r.statement[0].rate_based_statement[0].evaluation_window_sec
      } if length(r.statement[0].rate_based_statement) == 1
      ] == [{
        limit  = jsondecode(file("rate_limit.json")).requests_per_ip
        window = jsondecode(file("rate_limit.json")).window_seconds
    }]
    error_message = "The limit and window are rate_limit.json's, the local gateway's numbers."
  }

  assert {
    condition = [
      for r in aws_wafv2_web_acl.this[0].rule : [
        for response in r.action[0].block[0].custom_response : {
          code    = response.response_code
          body    = response.custom_response_body_key
          headers = { for header in response.response_header : header.name => header.value }
        }
      ] if length(r.statement[0].rate_based_statement) == 1
      ] == [[{
        code    = 429
        body    = "too-many-requests"
        headers = { "Retry-After" = tostring(jsondecode(file("rate_limit.json")).retry_after_seconds) }
    }]]
    error_message = "A client over the limit gets 429 with Retry-After (rate_limit.json's seconds)."
  }

  assert {
    condition = [
      for body in aws_wafv2_web_acl.this[0].custom_response_body : {
        key          = body.key
        content_type = body.content_type
        problem      = jsondecode(body.content)
      }
      ] == [{
        key          = "too-many-requests"
        content_type = "APPLICATION_JSON"
        problem = {
          type   = "https://bazaar.dev/problems/too-many-requests"
          title  = "Too Many Requests"
          status = 429
          detail = "More than 2000 requests from this address in 300 seconds."
        }
    }]
    error_message = "The 429's body is a problem document naming the limit."
  }

  assert {
    condition = length(aws_wafv2_ip_set.rate_limit_exempt) == 0 && alltrue([
      for r in aws_wafv2_web_acl.this[0].rule :
      length(r.statement[0].rate_based_statement[0].scope_down_statement) == 0
      if length(r.statement[0].rate_based_statement) == 1
    ])
    error_message = "Without exempt CIDRs there is no IP set and every request counts."
  }

  assert {
    condition = toset(flatten([
      for r in aws_wafv2_web_acl.this[0].rule : [for m in r.statement[0].managed_rule_group_statement : m.name]
    ])) == toset(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"])
    error_message = "The AWS common and known-bad-inputs rule sets are applied."
  }

  assert {
    condition     = length(aws_wafv2_web_acl_association.this) == 1 && aws_wafv2_web_acl_association.this[0].resource_arn == aws_lb.this.arn
    error_message = "The web ACL is associated with the load balancer."
  }

  assert {
    condition     = aws_cloudwatch_log_group.waf[0].name == "aws-waf-logs-bazaar-test" && aws_cloudwatch_log_group.waf[0].kms_key_id == aws_kms_key.waf_logs[0].arn
    error_message = "WAF logs go to aws-waf-logs-<name>, encrypted with the module's key."
  }

  assert {
    condition     = aws_kms_key.waf_logs[0].enable_key_rotation == true
    error_message = "The WAF log key rotates."
  }

  assert {
    condition     = aws_wafv2_web_acl_logging_configuration.this[0].log_destination_configs == toset([aws_cloudwatch_log_group.waf[0].arn])
    error_message = "The web ACL logs to its log group."
  }

  assert {
    condition     = output.web_acl_arn == aws_wafv2_web_acl.this[0].arn
    error_message = "web_acl_arn is the web ACL's ARN."
  }

  assert {
    condition     = keys(output.target_group_arns) == ["inventory", "orders"]
    error_message = "target_group_arns is keyed by service."
  }
}

run "waf_can_be_switched_off" {
  command = apply

  variables {
    enable_waf = false
  }

  assert {
    condition = (
      length(aws_wafv2_web_acl.this) == 0 &&
      length(aws_wafv2_web_acl_association.this) == 0 &&
      length(aws_cloudwatch_log_group.waf) == 0 &&
      length(aws_kms_key.waf_logs) == 0
    )
    error_message = "enable_waf = false creates no web ACL, association, log group or key."
  }

  assert {
    condition     = output.web_acl_arn == null
    error_message = "web_acl_arn is null without a WAF."
  }
}

run "deregistration_delay_at_or_over_stop_timeout_is_refused" {
  command = plan

  variables {
    deregistration_delay      = 30
    task_stop_timeout_seconds = 30
  }

  expect_failures = [var.deregistration_delay]
}

run "empty_certificate_arn_is_refused" {
  command = plan

  variables {
    certificate_arn = ""
  }

  expect_failures = [var.certificate_arn]
}

run "duplicate_priorities_are_refused" {
  command = plan

  variables {
    services = {
      a = { port = 8001, path_patterns = ["/a"], priority = 10, health_path = "/readyz" }
      b = { port = 8002, path_patterns = ["/b"], priority = 10, health_path = "/readyz" }
    }
  }

  expect_failures = [var.services]
}

run "a_rate_limit_below_wafs_minimum_is_refused" {
  command = plan

  variables {
    waf_rate_limit = 9
  }

  expect_failures = [var.waf_rate_limit]
}

run "an_exempt_address_that_is_no_ipv4_cidr_is_refused" {
  command = plan

  variables {
    waf_rate_limit_exempt_cidrs = ["203.0.113.7"]
  }

  expect_failures = [var.waf_rate_limit_exempt_cidrs]
}

run "a_single_subnet_is_refused" {
  command = plan

  variables {
    public_subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.public_subnet_ids]
}
