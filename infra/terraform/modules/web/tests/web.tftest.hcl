# terraform test: the web module against a mocked AWS provider. The policies
# as the real provider renders them: tests/policies.tftest.hcl.

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

  # Only the rendered json is mocked; the statements stay as configured.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id                          = "bazaar-test-web-123456789012"
      arn                         = "arn:aws:s3:::bazaar-test-web-123456789012"
      bucket_regional_domain_name = "bazaar-test-web-123456789012.s3.eu-west-1.amazonaws.com"
    }
  }

  mock_resource "aws_cloudfront_origin_access_control" {
    defaults = {
      id = "E2OACTEST00001"
    }
  }

  mock_resource "aws_cloudfront_function" {
    defaults = {
      arn = "arn:aws:cloudfront::123456789012:function/bazaar-test-spa-rewrite"
    }
  }

  mock_resource "aws_cloudfront_response_headers_policy" {
    defaults = {
      id = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    }
  }

  mock_resource "aws_cloudfront_distribution" {
    defaults = {
      id             = "E1WEBTEST00001"
      arn            = "arn:aws:cloudfront::123456789012:distribution/E1WEBTEST00001"
      domain_name    = "d111111abcdef8.cloudfront.net"
      hosted_zone_id = "Z2FDTNDATAQYW2"
    }
  }
}

variables {
  name                   = "bazaar-test"
  api_origin_domain_name = "api.test.example.com"
  api_path_patterns      = ["/inventory*", "/orders*", "/payments*"]
  cognito_domain_url     = "https://bazaar-test-123456789012.auth.eu-west-1.amazoncognito.com"
  app_config = {
    auth = {
      kind         = "cognito-hosted-ui"
      authority    = "https://bazaar-test-123456789012.auth.eu-west-1.amazoncognito.com"
      clientId     = "browserclient0123456789"
      redirectPath = "/auth/callback"
      scopes       = ["openid", "email", "profile"]
    }
  }
}

run "the_bucket_is_private_acl_less_versioned_and_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.bucket == "bazaar-test-web-123456789012" && output.bucket_name == "bazaar-test-web-123456789012" && aws_s3_bucket.this.force_destroy == false
    error_message = "The bucket is <name>-web-<account>, known at plan, and kept on destroy by default."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls &&
      aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls &&
      aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "All public access is blocked: only the distribution reads the bucket."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are off (BucketOwnerEnforced)."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket is versioned: a file a release replaced can be put back."
  }

  assert {
    condition     = [for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm] == ["AES256"]
    error_message = "Every object is encrypted at rest (SSE-S3)."
  }

  assert {
    condition = anytrue([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule :
      r.noncurrent_version_expiration[0].noncurrent_days == 30 && r.abort_incomplete_multipart_upload[0].days_after_initiation == 1 if length(r.noncurrent_version_expiration) > 0
    ])
    error_message = "Noncurrent versions go after 30 days, incomplete multipart uploads after 1."
  }
}

run "only_the_distribution_reads_the_bucket_and_only_over_tls" {
  # The distribution's ARN is known once applied (mocked).
  command = apply

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DistributionReadsTheApp" && s.effect == null && s.actions == toset(["s3:GetObject"]) &&
      s.resources == toset(["arn:aws:s3:::bazaar-test-web-123456789012/*"]) &&
      anytrue([for p in s.principals : p.type == "Service" && p.identifiers == toset(["cloudfront.amazonaws.com"])]) &&
      anytrue([for c in s.condition : c.test == "StringEquals" && c.variable == "AWS:SourceArn" && c.values == tolist(["arn:aws:cloudfront::123456789012:distribution/E1WEBTEST00001"])])
    ])
    error_message = "CloudFront may get objects only for this distribution (AWS:SourceArn)."
  }

  assert {
    condition = anytrue([
      for s in data.aws_iam_policy_document.bucket.statement :
      s.sid == "DenyInsecureTransport" && s.effect == "Deny" && s.actions == toset(["s3:*"]) &&
      anytrue([for c in s.condition : c.test == "Bool" && c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "Every request without TLS is denied."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.bucket.statement) == 2
    error_message = "The bucket policy grants the distribution's read and denies plain HTTP: nothing else."
  }

  assert {
    condition     = aws_s3_bucket_policy.this.bucket == "bazaar-test-web-123456789012"
    error_message = "The policy is attached to the app's bucket."
  }
}

run "the_app_origin_is_the_bucket_through_origin_access_control" {
  command = apply

  assert {
    condition = (
      aws_cloudfront_origin_access_control.this.origin_access_control_origin_type == "s3" &&
      aws_cloudfront_origin_access_control.this.signing_behavior == "always" &&
      aws_cloudfront_origin_access_control.this.signing_protocol == "sigv4"
    )
    error_message = "Origin Access Control signs every request to S3 with SigV4."
  }

  assert {
    condition = [
      for o in aws_cloudfront_distribution.this.origin : {
        domain = o.domain_name, oac = o.origin_access_control_id, custom = length(o.custom_origin_config)
      } if o.origin_id == "app"
      ] == [{
        domain = "bazaar-test-web-123456789012.s3.eu-west-1.amazonaws.com", oac = "E2OACTEST00001", custom = 0
    }]
    error_message = "The app origin is the bucket's regional endpoint, read through the module's Origin Access Control (no website endpoint, no public read)."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.default_cache_behavior[0].target_origin_id == "app" &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].cache_policy_id == "658327ea-f89d-4fab-a63d-7e88639e58f6" &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].compress &&
      aws_cloudfront_distribution.this.default_root_object == "index.html"
    )
    error_message = "Every path not the API's is the app's, cached with the managed CachingOptimized policy, compressed; / is index.html."
  }
}

run "deep_links_are_rewritten_to_index_html_by_a_function_not_by_error_pages" {
  command = plan

  assert {
    condition = (
      aws_cloudfront_function.spa_rewrite.name == "bazaar-test-spa-rewrite" &&
      aws_cloudfront_function.spa_rewrite.runtime == "cloudfront-js-2.0" &&
      aws_cloudfront_function.spa_rewrite.publish &&
      strcontains(aws_cloudfront_function.spa_rewrite.code, "request.uri = \"/index.html\"")
    )
    error_message = "The rewrite is a published CloudFront Function (cloudfront-js-2.0) that sends a path to /index.html."
  }

  assert {
    condition = [
      for f in aws_cloudfront_distribution.this.default_cache_behavior[0].function_association : f.event_type
    ] == ["viewer-request"]
    error_message = "The app's behaviour runs the rewrite on the viewer request (before the cache: deep links share /index.html's cache entry)."
  }

  assert {
    condition     = alltrue([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : length(b.function_association) == 0])
    error_message = "No API behaviour runs the rewrite."
  }

  assert {
    condition     = length(aws_cloudfront_distribution.this.custom_error_response) == 0
    error_message = "No custom error response: it would turn the API's own 403s and 404s into the app's HTML."
  }
}

run "the_api_paths_go_to_the_load_balancer_uncached_with_every_method" {
  command = plan

  assert {
    condition     = [for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b.path_pattern] == ["/inventory*", "/orders*", "/payments*"]
    error_message = "One ordered behaviour per API path pattern, in the given order."
  }

  assert {
    condition = alltrue([
      for b in aws_cloudfront_distribution.this.ordered_cache_behavior :
      b.target_origin_id == "api" &&
      b.cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" &&
      b.origin_request_policy_id == "b689b0a8-53d0-40ab-baf2-68738e2966ac" &&
      toset(b.allowed_methods) == toset(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]) &&
      b.compress
    ])
    error_message = "Each API behaviour goes to the load balancer, never cached (CachingDisabled), with every viewer header but Host (AllViewerExceptHostHeader), every method, compressed."
  }

  assert {
    condition = [
      for o in aws_cloudfront_distribution.this.origin : {
        domain   = o.domain_name
        protocol = o.custom_origin_config[0].origin_protocol_policy
        tls      = o.custom_origin_config[0].origin_ssl_protocols
      } if o.origin_id == "api"
    ] == [{ domain = "api.test.example.com", protocol = "https-only", tls = toset(["TLSv1.2"]) }]
    error_message = "The API origin is api_origin_domain_name, over HTTPS only, TLS 1.2."
  }
}

run "every_viewer_is_redirected_to_https" {
  command = plan

  assert {
    condition = (
      aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https" &&
      alltrue([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b.viewer_protocol_policy == "redirect-to-https"])
    )
    error_message = "Plain HTTP is redirected to HTTPS on every behaviour."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.viewer_certificate[0].cloudfront_default_certificate &&
      try(length(aws_cloudfront_distribution.this.aliases), 0) == 0
    )
    error_message = "Without aliases the distribution serves its *.cloudfront.net name with CloudFront's certificate."
  }
}

run "the_security_headers_are_on_every_response" {
  command = plan

  assert {
    condition = (
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].content_security_policy[0].content_security_policy ==
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://bazaar-test-123456789012.auth.eu-west-1.amazoncognito.com/oauth2/token; frame-ancestors 'none'; base-uri 'self'; form-action 'self' https://bazaar-test-123456789012.auth.eu-west-1.amazoncognito.com; object-src 'none'"
    )
    error_message = "The CSP allows the app's own origin, Cognito's token endpoint and hosted UI, and no framing."
  }

  assert {
    condition     = strcontains(aws_cloudfront_response_headers_policy.security.security_headers_config[0].content_security_policy[0].content_security_policy, "frame-ancestors 'none'")
    error_message = "No page may frame the app (CSP frame-ancestors 'none')."
  }

  assert {
    condition = (
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].access_control_max_age_sec == 63072000 &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].include_subdomains &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].preload &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].override
    )
    error_message = "HSTS for two years, subdomains included, preload."
  }

  assert {
    condition = (
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].frame_options[0].frame_option == "DENY" &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].referrer_policy[0].referrer_policy == "strict-origin-when-cross-origin" &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].content_type_options[0].override
    )
    error_message = "X-Frame-Options DENY, Referrer-Policy strict-origin-when-cross-origin, X-Content-Type-Options nosniff."
  }
}

run "the_headers_policy_is_attached_to_every_behaviour" {
  command = apply

  assert {
    condition = (
      aws_cloudfront_distribution.this.default_cache_behavior[0].response_headers_policy_id == "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" &&
      alltrue([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b.response_headers_policy_id == "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"])
    )
    error_message = "The app's and the API's responses carry the same security headers."
  }

  assert {
    condition     = output.url == "https://d111111abcdef8.cloudfront.net" && output.distribution_id == "E1WEBTEST00001"
    error_message = "Without aliases the app's URL is https://<id>.cloudfront.net."
  }
}

run "config_json_is_terraforms_and_never_cached_long" {
  command = plan

  assert {
    condition = (
      aws_s3_object.config.key == "config.json" &&
      aws_s3_object.config.content_type == "application/json" &&
      aws_s3_object.config.cache_control == "no-cache" &&
      jsondecode(aws_s3_object.config.content) == var.app_config
    )
    error_message = "config.json is app_config as JSON, application/json, no-cache."
  }

  assert {
    condition     = jsondecode(aws_s3_object.config.content).auth.clientId == "browserclient0123456789" && jsondecode(aws_s3_object.config.content).auth.redirectPath == "/auth/callback"
    error_message = "The app finds its Cognito client and callback path in config.json."
  }
}

run "aliases_get_their_certificate_and_tls_1_2" {
  command = plan

  variables {
    aliases             = ["shop.test.example.com"]
    acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    price_class         = "PriceClass_200"
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.aliases == toset(["shop.test.example.com"]) &&
      aws_cloudfront_distribution.this.viewer_certificate[0].acm_certificate_arn == var.acm_certificate_arn &&
      aws_cloudfront_distribution.this.viewer_certificate[0].cloudfront_default_certificate == false &&
      aws_cloudfront_distribution.this.viewer_certificate[0].ssl_support_method == "sni-only" &&
      aws_cloudfront_distribution.this.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" &&
      aws_cloudfront_distribution.this.price_class == "PriceClass_200"
    )
    error_message = "With aliases the distribution serves them with the given certificate (SNI), TLS 1.2 at least, in the given price class."
  }

  assert {
    condition     = output.url == "https://shop.test.example.com"
    error_message = "The first alias is the app's URL."
  }
}

run "access_logs_and_a_web_acl_when_given" {
  command = plan

  variables {
    access_logs_bucket = "bazaar-test-cloudfront-logs"
    web_acl_arn        = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/bazaar-test-web/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    force_destroy      = true
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.logging_config[0].bucket == "bazaar-test-cloudfront-logs.s3.amazonaws.com" &&
      aws_cloudfront_distribution.this.logging_config[0].prefix == "cloudfront/bazaar-test-web/" &&
      aws_cloudfront_distribution.this.logging_config[0].include_cookies == false
    )
    error_message = "Standard logs go to access_logs_bucket under cloudfront/<name>-web/, without cookies (they carry no tokens here, but keep them out)."
  }

  assert {
    condition     = aws_cloudfront_distribution.this.web_acl_id == var.web_acl_arn && aws_s3_bucket.this.force_destroy
    error_message = "web_acl_arn and force_destroy reach the distribution and the bucket."
  }
}

run "no_logs_and_no_web_acl_by_default" {
  command = plan

  assert {
    condition     = length(aws_cloudfront_distribution.this.logging_config) == 0 && aws_cloudfront_distribution.this.web_acl_id == null
    error_message = "Neither standard logs nor a CloudFront web ACL unless given."
  }
}

run "aliases_without_a_certificate_are_refused" {
  command = plan

  variables {
    aliases = ["shop.test.example.com"]
  }

  expect_failures = [var.acm_certificate_arn]
}

run "a_certificate_outside_us_east_1_is_refused" {
  command = plan

  variables {
    aliases             = ["shop.test.example.com"]
    acm_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
  }

  expect_failures = [var.acm_certificate_arn]
}

run "a_regional_web_acl_is_refused" {
  command = plan

  variables {
    web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/bazaar-test-alb/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
  }

  expect_failures = [var.web_acl_arn]
}

run "the_apps_catch_all_pattern_is_refused_as_an_api_path" {
  command = plan

  variables {
    api_path_patterns = ["/orders*", "/*"]
  }

  expect_failures = [var.api_path_patterns]
}

run "a_cognito_domain_with_a_path_is_refused" {
  command = plan

  variables {
    cognito_domain_url = "https://bazaar-test.auth.eu-west-1.amazoncognito.com/"
  }

  expect_failures = [var.cognito_domain_url]
}

run "a_name_too_long_for_the_bucket_is_refused" {
  command = plan

  variables {
    name = "bazaar-a-very-long-environment-name-that-is-too-long"
  }

  expect_failures = [var.name]
}
