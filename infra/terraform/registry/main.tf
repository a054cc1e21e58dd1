# One environment's image registry: a repository per catalog service, and
# its key. Apart from the environment (envs/<env>) because images come
# first: the release pushes (dev) or promotes (staging, prod) a service's
# images before the environment's apply points its tasks at them, so a new
# service's repository must exist before that apply (make deploy-registry,
# run by the release before it publishes or promotes). It holds nothing but
# repositories, so the release applies it without a separate approval.

module "catalog" {
  source          = "../modules/catalog"
  resource_prefix = "bazaar-${var.environment}"
}

module "ecr" {
  source = "../modules/ecr"

  name     = "bazaar-${var.environment}"
  services = module.catalog.services
  # dev may be torn down with its images; staging and prod keep theirs.
  force_delete = var.environment == "dev"
}
