terraform {
  # 1.9: validations that compare one input with another (the per-service
  # maps against the catalog's services).
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}
