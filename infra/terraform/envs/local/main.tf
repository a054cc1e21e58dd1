# The local environment: what the services need from AWS, on a moto server.
#
#   scripts/terraform.sh -chdir=infra/terraform/envs/local init
#   scripts/terraform.sh -chdir=infra/terraform/envs/local apply -var aws_endpoint_url=http://127.0.0.1:5000
#
# The messaging and identity modules of every other environment, pointed at
# the emulator. make run and docker compose create the same resources from
# Python (bazaar_common.messaging.provisioning, bazaar_devstack.cognito), so
# they need no Terraform; tests/terraform/test_local_apply.py applies this
# and runs that bootstrap on one moto and compares what each made.

provider "aws" {
  region = var.region
  # moto accepts any key; these are its documented fake ones, never real.
  access_key                  = "testing" #checkov:skip=CKV_AWS_41:moto's fake credentials for a local emulator, not a secret
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {
    cloudwatch     = var.aws_endpoint_url
    cognitoidp     = var.aws_endpoint_url
    eventbridge    = var.aws_endpoint_url
    iam            = var.aws_endpoint_url
    kms            = var.aws_endpoint_url
    s3             = var.aws_endpoint_url
    secretsmanager = var.aws_endpoint_url
    sqs            = var.aws_endpoint_url
    sts            = var.aws_endpoint_url
  }

  default_tags {
    tags = {
      project     = "bazaar"
      environment = "local"
      managed-by  = "terraform"
    }
  }
}

module "catalog" {
  source          = "../../modules/catalog"
  resource_prefix = var.resource_prefix
}

module "messaging" {
  source   = "../../modules/messaging"
  bus_name = module.catalog.bus_name
  queues   = module.catalog.queues
  # moto keeps no RedriveAllowPolicy; the Python bootstrap sets none either.
  restrict_dlq_sources = false
}

# The pool the services verify tokens of. Password sign-in (USER_PASSWORD_AUTH)
# so scripts and tests can get tokens; no advanced security (moto has none).
module "identity" {
  source = "../../modules/identity"
  name   = var.resource_prefix

  advanced_security_mode = "OFF"
  deletion_protection    = false
  allow_password_auth    = true
}
