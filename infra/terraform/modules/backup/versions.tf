terraform {
  # 1.9: validations that compare two variables (retentions against the
  # vault lock, min_capacity against auto-pause in the database module).
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}
