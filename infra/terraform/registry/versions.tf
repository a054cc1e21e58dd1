terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }

  # Partial configuration, given at init (scripts/deploy/environment.sh
  # registry): the environment's state bucket, key
  # envs/<environment>/registry.tfstate, beside the environment's own state.
  backend "s3" {}
}
