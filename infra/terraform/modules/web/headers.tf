# The security headers of every response, the app's and the API's alike
# (one origin, one policy). override: CloudFront's value wins over an
# origin's, so no service can weaken them by accident.

locals {
  # The app's scripts, styles and fetches are its own files and the API on
  # the same origin; the one other place it talks to is Cognito: the token
  # endpoint by fetch (the authorization code with PKCE for tokens), and the
  # hosted UI it navigates to for sign-in and sign-out. No inline script or
  # style: the build emits files.
  content_security_policy = join("; ", [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self' ${var.cognito_domain_url}/oauth2/token",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self' ${var.cognito_domain_url}",
    "object-src 'none'",
  ])
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.name}-web-security-headers"
  comment = "${var.name}: HSTS, CSP, nosniff, no framing, strict-origin-when-cross-origin"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = var.hsts_max_age_seconds
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }
  }
}
