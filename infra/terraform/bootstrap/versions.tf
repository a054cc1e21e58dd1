terraform {
  # 1.11: tests/ use override_during = plan. The environments need >= 1.10
  # for use_lockfile.
  required_version = ">= 1.11"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }

  # Local state on purpose: this creates the bucket every other state lives
  # in. Keep terraform.tfstate somewhere safe (see README).
}
