# The environment's users. Cognito issues the access tokens every service
# validates itself (ADR 0003): the services need only the issuer, the JWKS URL
# and the app client ID from here, and map the groups below to roles.

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  # The services map exactly these group names to their roles.
  groups = {
    admins    = { precedence = 1, description = "Staff: every operation, including other customers' data" }
    customers = { precedence = 10, description = "Shoppers: their own orders and payments" }
  }

  # Threat protection (AUDIT/ENFORCED) exists only on the PLUS plan.
  user_pool_tier = var.advanced_security_mode == "OFF" ? "ESSENTIALS" : "PLUS"

  resource_server_identifier = coalesce(var.resource_server_identifier, "${var.name}-api")
  oauth_enabled              = length(var.callback_urls) > 0

  explicit_auth_flows = concat(
    ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    var.allow_password_auth ? ["ALLOW_USER_PASSWORD_AUTH"] : [],
    # AdminInitiateAuth is signed with IAM credentials: the public client
    # gains no sign-in path a browser could use.
    var.allow_admin_password_auth ? ["ALLOW_ADMIN_USER_PASSWORD_AUTH"] : [],
  )

  issuer = "https://cognito-idp.${data.aws_region.current.name}.${data.aws_partition.current.dns_suffix}/${aws_cognito_user_pool.this.id}"
}

resource "aws_cognito_user_pool" "this" {
  name                = "${var.name}-users"
  user_pool_tier      = local.user_pool_tier
  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  # Accounts are made by staff or a back-office flow, never by self sign-up.
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  username_configuration {
    case_sensitive = false
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    # Cognito's own limits for email; other values would make every plan differ.
    string_attribute_constraints {
      min_length = 0
      max_length = 2048
    }
  }

  auto_verified_attributes = ["email"]

  # A changed email is used only once the user has verified it.
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  password_policy {
    minimum_length                   = 12
    require_uppercase                = true
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  mfa_configuration = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  user_pool_add_ons {
    advanced_security_mode = var.advanced_security_mode
  }

  tags = var.tags
}

resource "aws_cognito_user_pool_domain" "this" {
  count = var.domain == null ? 0 : 1

  domain       = var.domain
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "aws_cognito_user_group" "this" {
  for_each = local.groups

  name         = each.key
  user_pool_id = aws_cognito_user_pool.this.id
  description  = each.value.description
  precedence   = each.value.precedence
}

resource "aws_cognito_resource_server" "this" {
  count = length(var.resource_server_scopes) > 0 ? 1 : 0

  identifier   = local.resource_server_identifier
  name         = "${var.name}-api"
  user_pool_id = aws_cognito_user_pool.this.id

  dynamic "scope" {
    for_each = var.resource_server_scopes

    content {
      scope_name        = scope.key
      scope_description = scope.value
    }
  }
}

# A public client (browser, mobile app): no secret, since it could not be
# kept; the password never leaves the client under SRP.
resource "aws_cognito_user_pool_client" "this" {
  name            = "${var.name}-app"
  user_pool_id    = aws_cognito_user_pool.this.id
  generate_secret = false

  explicit_auth_flows = local.explicit_auth_flows

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  supported_identity_providers  = ["COGNITO"]

  # Authorization code flow (PKCE) only when redirect URLs are given.
  allowed_oauth_flows_user_pool_client = local.oauth_enabled
  allowed_oauth_flows                  = local.oauth_enabled ? ["code"] : []
  allowed_oauth_scopes = local.oauth_enabled ? concat(
    ["openid", "email", "profile"],
    flatten(aws_cognito_resource_server.this[*].scope_identifiers),
  ) : []
  callback_urls = var.callback_urls
  logout_urls   = var.logout_urls
}
