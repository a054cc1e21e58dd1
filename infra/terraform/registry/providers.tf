provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "bazaar"
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
