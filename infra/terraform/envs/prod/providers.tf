provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "bazaar"
      environment = "prod"
      managed-by  = "terraform"
    }
  }
}
