terraform {
  # use_lockfile (S3 native state locking) needs 1.10.
  required_version = ">= 1.10"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }

  # Partial configuration: bucket, key, region, kms_key_id and use_lockfile
  # are given at init from the bootstrap outputs (see ../README.md), so no
  # account ID is written here.
  backend "s3" {}
}
