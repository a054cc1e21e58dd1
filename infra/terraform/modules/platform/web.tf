# The browser app (modules/web): its files in a private bucket behind
# CloudFront, which also sends every catalog service's paths to the ALB, so
# the browser sees one origin. Its sign-in is Cognito's hosted UI with the
# authorization code flow and PKCE, through an app client of its own.
#
# The client is made here, not in modules/identity: its callback URL names
# the distribution, and the distribution's config.json names the client. A
# client inside the identity module would make module.identity wait on
# module.web; here the order is plain: pool -> distribution -> client ->
# config.json (and the services' AUTH_CLIENT_IDS). enable_web = false (an
# emulator) leaves all of it out, the hosted UI's domain included.

locals {
  # One behaviour per service, from its catalog path_prefix: "/orders*"
  # covers /orders and /orders/... (and /ordersx, which the ALB answers
  # with its 404). The app's own routes must stay outside these prefixes.
  web_api_path_patterns = [for svc in values(local.services) : "${svc.path_prefix}*"]

  # The hosted UI's prefix: <name>-<account id>, unique in the region as
  # Cognito requires, unless web_auth_domain_prefix names one.
  web_auth_domain_prefix = coalesce(var.web_auth_domain_prefix, "${var.name}-${data.aws_caller_identity.current.account_id}")
  web_auth_domain_url    = var.enable_web ? "https://${module.identity.domain}.auth.${data.aws_region.current.name}.amazoncognito.com" : null

  # What the browser asks Cognito for. The services authorise by the
  # cognito:groups claim, not by scopes (bazaar_common.auth), so no API
  # scope is needed: the access token's client_id is what they check.
  web_oauth_scopes = ["openid", "email", "profile"]

  # The names the app is reached by: its aliases, then CloudFront's own.
  web_hosts = var.enable_web ? concat(var.web_aliases, [module.web[0].distribution_domain_name]) : []

  # A browser keeps its tokens where a script could read them: short
  # access and ID tokens, and a refresh token of a working day, not the
  # 30 days of the app client a native or scripted client uses.
  web_token_validity = {
    access_minutes = 60
    id_minutes     = 60
    refresh_hours  = 12
  }
}

module "web" {
  source = "../web"
  count  = var.enable_web ? 1 : 0

  name = var.name

  # The ALB's certificate is for api_domain_name, which CloudFront checks;
  # without it, the ALB's own name (see the check below).
  api_origin_domain_name = coalesce(var.api_domain_name, module.alb.alb_dns_name)
  api_path_patterns      = local.web_api_path_patterns

  cognito_domain_url = local.web_auth_domain_url
  app_config = {
    auth = {
      kind         = "cognito-hosted-ui"
      authority    = local.web_auth_domain_url
      clientId     = aws_cognito_user_pool_client.browser[0].id
      redirectPath = "/auth/callback"
      scopes       = local.web_oauth_scopes
    }
  }

  aliases             = var.web_aliases
  acm_certificate_arn = var.web_certificate_arn
  price_class         = var.web_price_class
  web_acl_arn         = var.web_acl_arn
  # dev may be torn down: its files come back with the next release.
  force_destroy = local.disposable

  tags = var.tags
}

# A public client (no secret: a browser cannot keep one), for the hosted UI's
# authorization code flow only; the browser sends a PKCE code challenge,
# which Cognito then requires the verifier of. No SRP or password flow:
# the password is typed into Cognito's page, never into the app.
resource "aws_cognito_user_pool_client" "browser" {
  count = var.enable_web ? 1 : 0

  name            = "${var.name}-browser"
  user_pool_id    = module.identity.user_pool_id
  generate_secret = false

  explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = local.web_oauth_scopes
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = [for host in local.web_hosts : "https://${host}/auth/callback"]
  logout_urls                          = [for host in local.web_hosts : "https://${host}/"]

  access_token_validity  = local.web_token_validity.access_minutes
  id_token_validity      = local.web_token_validity.id_minutes
  refresh_token_validity = local.web_token_validity.refresh_hours

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }

  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
}

# CloudFront checks the ALB's certificate against the origin's name; the
# ALB's own *.elb.amazonaws.com name is not on it. A warning, not an error:
# without a zone the operator points the API's name at the ALB by hand
# (dns.tf), and the plan must still go through.
check "the_web_apps_api_origin_is_a_name_the_albs_certificate_covers" {
  assert {
    condition     = !var.enable_web || var.api_domain_name != null
    error_message = "enable_web without api_domain_name: CloudFront reaches the API at the ALB's own DNS name, which the ALB's certificate does not cover, so the app's API calls fail (502) until api_domain_name (and route53_zone_id) are set."
  }
}
