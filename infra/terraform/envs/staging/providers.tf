provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "bazaar"
      environment = "staging"
      managed-by  = "terraform"
    }
  }
}
