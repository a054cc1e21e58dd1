provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "bazaar"
      environment = "dev"
      managed-by  = "terraform"
    }
  }
}
