# One distribution, two origins: the bucket (the app) by default, and the
# load balancer for each of api_path_patterns (ordered behaviours, matched
# before the default). The browser sees one origin, so the app calls the
# API by relative paths.

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = "${var.name}-web"
  description                       = "${var.name}: the distribution reads the app's bucket, signed (SigV4) on every request."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# SPA deep links (functions/spa_rewrite.js). Not custom_error_response
# (403/404 -> /index.html with 200): that applies to every behaviour of the
# distribution, so an API's own 403 or 404 would reach the browser as the
# app's HTML with a 200.
resource "aws_cloudfront_function" "spa_rewrite" {
  name    = "${var.name}-spa-rewrite"
  runtime = "cloudfront-js-2.0"
  comment = "${var.name}: paths without a file extension are the app's routes: /index.html"
  publish = true
  code    = file("${path.module}/functions/spa_rewrite.js")
}

# No standard logs unless access_logs_bucket is given: the API's requests are
# in the load balancer's access logs, and CloudFront's standard logs need a
# bucket with ACLs, which every bucket of the platform has off.
#trivy:ignore:AVD-AWS-0010
resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_86:Standard logs go to access_logs_bucket when one is given; the platform gives none: the API's requests are in the load balancer's access logs, and the logs would need a bucket with ACLs on.
  #checkov:skip=CKV_AWS_68:A web ACL is attached with web_acl_arn (a CLOUDFRONT-scope ACL, in us-east-1); the API's paths reach the load balancer's regional web ACL either way.
  #checkov:skip=CKV_AWS_310:No origin failover: one bucket, one load balancer, one region per environment.
  #checkov:skip=CKV_AWS_374:No geo restriction: the shop sells wherever its customers are.
  #checkov:skip=CKV_AWS_174:TLS 1.2 (TLSv1.2_2021) is the viewers' minimum with a certificate of our own (aliases); CloudFront's default *.cloudfront.net certificate takes no minimum, CloudFront sets its own.
  #checkov:skip=CKV2_AWS_47:The API's paths reach the load balancer's web ACL, whose rule sets include KnownBadInputs (Log4j among them).
  enabled             = true
  comment             = "${var.name}: the web app and its API, one origin"
  default_root_object = "index.html"
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.price_class
  aliases             = var.aliases
  web_acl_id          = var.web_acl_arn

  origin {
    origin_id                = local.origins.app
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  # HTTPS only: the load balancer's HTTP listener only redirects, and its
  # certificate is for api_origin_domain_name, which CloudFront checks.
  origin {
    origin_id   = local.origins.api
    domain_name = var.api_origin_domain_name

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = var.api_read_timeout_seconds
    }
  }

  # The app: cached by the objects' own Cache-Control (the release uploads
  # assets/* immutable for a year, index.html no-cache; config.json is
  # no-cache too), compressed at the edge.
  default_cache_behavior {
    target_origin_id           = local.origins.app
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_policy_ids.caching_optimized
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_rewrite.arn
    }
  }

  # The API: never cached, every method, every viewer header but Host.
  dynamic "ordered_cache_behavior" {
    for_each = var.api_path_patterns

    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.origins.api
      viewer_protocol_policy     = "redirect-to-https"
      allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = local.managed_policy_ids.caching_disabled
      origin_request_policy_id   = local.managed_policy_ids.all_viewer_except_host_header
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.custom_certificate
    acm_certificate_arn            = var.acm_certificate_arn
    ssl_support_method             = local.custom_certificate ? "sni-only" : null
    minimum_protocol_version       = local.custom_certificate ? "TLSv1.2_2021" : "TLSv1"
  }

  dynamic "logging_config" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]

    content {
      bucket          = "${logging_config.value}.s3.amazonaws.com"
      prefix          = "cloudfront/${var.name}-web/"
      include_cookies = false
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-web" })
}
