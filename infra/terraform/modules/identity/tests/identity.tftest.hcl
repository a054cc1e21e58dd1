# terraform test: the identity module against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_resource "aws_cognito_user_pool" {
    defaults = {
      id  = "eu-west-1_AbCdEfGhI"
      arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI"
    }
  }

  mock_resource "aws_cognito_user_pool_client" {
    defaults = {
      id            = "1example23456789abcdefghij"
      client_secret = ""
    }
  }
}

variables {
  name = "bazaar-test"
}

run "pool_is_admin_created_with_a_strong_password_policy" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool.this.name == "bazaar-test-users"
    error_message = "The pool is named <name>-users."
  }

  assert {
    condition     = aws_cognito_user_pool.this.admin_create_user_config[0].allow_admin_create_user_only == true
    error_message = "Only administrators create users."
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.password_policy[0].minimum_length == 12 &&
      aws_cognito_user_pool.this.password_policy[0].require_uppercase &&
      aws_cognito_user_pool.this.password_policy[0].require_lowercase &&
      aws_cognito_user_pool.this.password_policy[0].require_numbers
    )
    error_message = "Passwords: at least 12 characters with upper, lower and numbers."
  }

  assert {
    condition     = aws_cognito_user_pool.this.mfa_configuration == "OPTIONAL" && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
    error_message = "MFA is optional, by authenticator app."
  }

  assert {
    condition     = aws_cognito_user_pool.this.username_configuration[0].case_sensitive == false
    error_message = "Usernames are case insensitive."
  }

  assert {
    condition     = anytrue([for a in aws_cognito_user_pool.this.schema : a.name == "email" && a.required])
    error_message = "email is a required attribute."
  }

  assert {
    condition     = [for m in aws_cognito_user_pool.this.account_recovery_setting[0].recovery_mechanism : m.name] == ["verified_email"]
    error_message = "Accounts are recovered by verified email only."
  }
}

run "threat_protection_and_deletion_protection_by_default" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool.this.user_pool_add_ons[0].advanced_security_mode == "ENFORCED" && aws_cognito_user_pool.this.user_pool_tier == "PLUS"
    error_message = "Threat protection is ENFORCED (on the PLUS plan) by default."
  }

  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "ACTIVE"
    error_message = "Deletion protection is on by default."
  }

  assert {
    condition     = length(aws_cognito_user_pool_domain.this) == 0 && length(aws_cognito_resource_server.this) == 0
    error_message = "No domain and no resource server unless asked for."
  }
}

run "local_settings_switch_protection_off" {
  command = plan

  variables {
    advanced_security_mode = "OFF"
    deletion_protection    = false
  }

  assert {
    condition     = aws_cognito_user_pool.this.user_pool_add_ons[0].advanced_security_mode == "OFF" && aws_cognito_user_pool.this.user_pool_tier == "ESSENTIALS"
    error_message = "OFF turns threat protection off and leaves the PLUS plan."
  }

  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "INACTIVE"
    error_message = "deletion_protection = false is passed through."
  }
}

run "both_groups_exist" {
  command = apply

  assert {
    condition     = toset(keys(aws_cognito_user_group.this)) == toset(["customers", "admins"])
    error_message = "The customers and admins groups exist."
  }

  assert {
    condition     = output.groups == tolist(["admins", "customers"])
    error_message = "The groups output lists both."
  }

  assert {
    condition     = alltrue([for g in aws_cognito_user_group.this : g.user_pool_id == "eu-west-1_AbCdEfGhI"])
    error_message = "The groups belong to the pool."
  }
}

run "client_is_public_and_srp_only_by_default" {
  command = apply

  assert {
    condition     = aws_cognito_user_pool_client.this.generate_secret == false
    error_message = "The app client has no secret."
  }

  assert {
    condition     = toset(aws_cognito_user_pool_client.this.explicit_auth_flows) == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    error_message = "Only SRP and refresh-token auth by default."
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.prevent_user_existence_errors == "ENABLED" && aws_cognito_user_pool_client.this.enable_token_revocation == true
    error_message = "User existence is not revealed; tokens can be revoked."
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.this.access_token_validity == 60 &&
      aws_cognito_user_pool_client.this.token_validity_units[0].access_token == "minutes"
    )
    error_message = "Access tokens are valid 60 minutes by default."
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.allowed_oauth_flows_user_pool_client == false
    error_message = "No OAuth flows without callback URLs."
  }

  assert {
    condition     = output.client_id == "1example23456789abcdefghij"
    error_message = "client_id is the app client's ID."
  }
}

run "password_auth_only_when_allowed" {
  command = plan

  variables {
    allow_password_auth = true
  }

  assert {
    condition     = toset(aws_cognito_user_pool_client.this.explicit_auth_flows) == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"])
    error_message = "allow_password_auth adds ALLOW_USER_PASSWORD_AUTH."
  }
}

run "default_client_has_neither_password_flow" {
  command = plan

  assert {
    condition     = !contains(aws_cognito_user_pool_client.this.explicit_auth_flows, "ALLOW_USER_PASSWORD_AUTH") && !contains(aws_cognito_user_pool_client.this.explicit_auth_flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH")
    error_message = "Neither USER_PASSWORD_AUTH nor ADMIN_USER_PASSWORD_AUTH is allowed by default."
  }

  assert {
    condition     = output.explicit_auth_flows == tolist(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    error_message = "explicit_auth_flows shows SRP and refresh-token auth only: ${jsonencode(output.explicit_auth_flows)}"
  }
}

run "admin_password_auth_only_when_allowed" {
  command = plan

  variables {
    allow_admin_password_auth = true
  }

  assert {
    condition     = toset(aws_cognito_user_pool_client.this.explicit_auth_flows) == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"])
    error_message = "allow_admin_password_auth adds ALLOW_ADMIN_USER_PASSWORD_AUTH, and only it (not USER_PASSWORD_AUTH)."
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.generate_secret == false
    error_message = "The client stays public (no secret) with the admin flow on."
  }

  assert {
    condition     = output.explicit_auth_flows == tolist(["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"])
    error_message = "explicit_auth_flows shows the admin password flow: ${jsonencode(output.explicit_auth_flows)}"
  }
}

run "both_password_flows_together" {
  command = plan

  variables {
    allow_password_auth       = true
    allow_admin_password_auth = true
  }

  assert {
    condition     = toset(aws_cognito_user_pool_client.this.explicit_auth_flows) == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"])
    error_message = "Both switches add both password flows, each once."
  }
}

run "issuer_and_jwks_url_are_well_formed" {
  command = apply

  assert {
    condition     = output.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI"
    error_message = "issuer is https://cognito-idp.<region>.amazonaws.com/<pool id>: ${output.issuer}"
  }

  assert {
    condition     = output.jwks_url == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI/.well-known/jwks.json"
    error_message = "jwks_url is <issuer>/.well-known/jwks.json: ${output.jwks_url}"
  }

  assert {
    condition     = !endswith(output.issuer, "/")
    error_message = "The issuer has no trailing slash (it must equal the iss claim)."
  }

  assert {
    condition     = output.user_pool_id == "eu-west-1_AbCdEfGhI" && output.user_pool_arn == "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI"
    error_message = "user_pool_id and user_pool_arn are the pool's."
  }
}

run "resource_server_domain_and_oauth_when_asked_for" {
  command = apply

  variables {
    domain                     = "bazaar-test-login"
    resource_server_identifier = "https://api.bazaar.example"
    resource_server_scopes = {
      "orders.read"  = "Read orders"
      "orders.write" = "Place orders"
    }
    callback_urls = ["https://bazaar.example/callback"]
  }

  override_resource {
    target = aws_cognito_resource_server.this
    values = {
      identifier        = "https://api.bazaar.example"
      scope_identifiers = ["https://api.bazaar.example/orders.read", "https://api.bazaar.example/orders.write"]
    }
  }

  assert {
    condition     = length(aws_cognito_resource_server.this) == 1 && length(aws_cognito_resource_server.this[0].scope) == 2
    error_message = "One resource server with the given scopes."
  }

  assert {
    condition     = length(aws_cognito_user_pool_domain.this) == 1 && output.domain == "bazaar-test-login"
    error_message = "The hosted domain is created when asked for."
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.allowed_oauth_flows == toset(["code"]) && aws_cognito_user_pool_client.this.allowed_oauth_flows_user_pool_client
    error_message = "Callback URLs enable the authorization code flow only."
  }

  assert {
    condition     = contains(aws_cognito_user_pool_client.this.allowed_oauth_scopes, "https://api.bazaar.example/orders.write")
    error_message = "The client may request the resource server's scopes."
  }

  assert {
    condition     = output.resource_server_identifier == "https://api.bazaar.example"
    error_message = "resource_server_identifier is exported."
  }
}

run "a_bad_advanced_security_mode_is_refused" {
  command = plan

  variables {
    advanced_security_mode = "ON"
  }

  expect_failures = [var.advanced_security_mode]
}

run "an_access_token_validity_beyond_a_day_is_refused" {
  command = plan

  variables {
    access_token_validity_minutes = 2000
  }

  expect_failures = [var.access_token_validity_minutes]
}

run "a_plain_http_callback_is_refused" {
  command = plan

  variables {
    callback_urls = ["http://bazaar.example/callback"]
  }

  expect_failures = [var.callback_urls]
}
