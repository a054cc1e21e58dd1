# terraform test: the ecr module against a mocked AWS provider.

mock_provider "aws" {
  override_data {
    target = data.aws_caller_identity.current
    values = {
      account_id = "123456789012"
    }
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition = "aws"
    }
  }

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }
}

variables {
  name = "bazaar-test"
  tags = { Project = "bazaar" }

  # Extra attributes, as module.catalog.services has, are dropped by the type.
  services = {
    orders    = { port = 8002 }
    inventory = { port = 8001 }
    payments  = {}
  }
}

run "one_immutable_scanned_kms_encrypted_repository_per_service" {
  command = apply

  assert {
    condition     = toset(keys(aws_ecr_repository.this)) == toset(["inventory", "orders", "payments"])
    error_message = "There should be one repository per given service: ${jsonencode(keys(aws_ecr_repository.this))}"
  }

  assert {
    condition     = aws_ecr_repository.this["orders"].name == "bazaar-test/orders"
    error_message = "Repositories are named <name>/<service>."
  }

  assert {
    condition     = alltrue([for repository in aws_ecr_repository.this : repository.image_tag_mutability == "IMMUTABLE"])
    error_message = "Every repository should have immutable tags."
  }

  assert {
    condition     = alltrue([for repository in aws_ecr_repository.this : repository.image_scanning_configuration[0].scan_on_push])
    error_message = "Every repository should scan on push."
  }

  assert {
    condition = alltrue([
      for repository in aws_ecr_repository.this :
      repository.encryption_configuration[0].encryption_type == "KMS" &&
      repository.encryption_configuration[0].kms_key == aws_kms_key.this[0].arn
    ])
    error_message = "Every repository should be encrypted with the module's KMS key."
  }

  assert {
    condition     = aws_kms_key.this[0].enable_key_rotation && output.kms_key_arn == aws_kms_key.this[0].arn
    error_message = "The module's key should rotate and be the kms_key_arn output."
  }

  assert {
    condition     = alltrue([for repository in aws_ecr_repository.this : repository.force_delete == false])
    error_message = "force_delete should be off by default."
  }

  assert {
    condition     = toset(keys(output.repository_urls)) == toset(keys(var.services)) && toset(keys(output.repository_arns)) == toset(keys(var.services))
    error_message = "repository_urls and repository_arns should be keyed by service."
  }

  assert {
    condition     = output.repository_urls["payments"] == aws_ecr_repository.this["payments"].repository_url
    error_message = "repository_urls should map each service to its repository URL."
  }

  assert {
    condition     = aws_ecr_repository.this["inventory"].tags.Service == "inventory" && aws_ecr_repository.this["inventory"].tags.Project == "bazaar"
    error_message = "Repositories carry the given tags and their service."
  }
}

run "the_lifecycle_policy_expires_untagged_after_7_days_and_keeps_30_tagged" {
  command = plan

  assert {
    condition     = length(aws_ecr_lifecycle_policy.this) == 3 && aws_ecr_lifecycle_policy.this["orders"].repository == "bazaar-test/orders"
    error_message = "Every repository should have a lifecycle policy."
  }

  assert {
    condition = anytrue([
      for rule in jsondecode(aws_ecr_lifecycle_policy.this["orders"].policy).rules :
      try(rule.selection.tagStatus == "tagged" && rule.selection.tagPatternList == ["*"] &&
        rule.selection.countType == "imageCountMoreThan" && rule.selection.countNumber == 30 &&
      rule.action.type == "expire", false)
    ])
    error_message = "The policy should keep the last 30 tagged images."
  }

  assert {
    condition = anytrue([
      for rule in jsondecode(aws_ecr_lifecycle_policy.this["orders"].policy).rules :
      try(rule.selection.tagStatus == "untagged" && rule.selection.countType == "sinceImagePushed" &&
      rule.selection.countUnit == "days" && rule.selection.countNumber == 7 && rule.action.type == "expire", false)
    ])
    error_message = "The policy should expire untagged images after 7 days."
  }

  assert {
    condition     = [for rule in jsondecode(aws_ecr_lifecycle_policy.this["orders"].policy).rules : rule.rulePriority] == [1, 2]
    error_message = "Rule priorities should be unique and ordered."
  }
}

run "keep_images_and_force_delete_are_applied" {
  command = plan

  variables {
    keep_images  = 5
    force_delete = true
  }

  assert {
    condition = anytrue([
      for rule in jsondecode(aws_ecr_lifecycle_policy.this["payments"].policy).rules :
      try(rule.selection.tagStatus == "tagged" && rule.selection.countNumber == 5, false)
    ])
    error_message = "keep_images = 5 should keep the last 5 tagged images."
  }

  assert {
    condition     = alltrue([for repository in aws_ecr_repository.this : repository.force_delete])
    error_message = "force_delete = true should reach every repository."
  }
}

run "a_given_kms_key_is_used_and_none_created" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = length(aws_kms_key.this) == 0 && output.kms_key_arn == var.kms_key_arn
    error_message = "A given key should be used and no key created."
  }

  assert {
    condition     = alltrue([for repository in aws_ecr_repository.this : repository.encryption_configuration[0].kms_key == var.kms_key_arn])
    error_message = "Every repository should use the given key."
  }
}

run "an_empty_services_map_is_refused" {
  command = plan

  variables {
    services = {}
  }

  expect_failures = [var.services]
}

run "a_bad_service_name_is_refused" {
  command = plan

  variables {
    services = { "Orders_Service" = {} }
  }

  expect_failures = [var.services]
}

run "keep_images_of_zero_is_refused" {
  command = plan

  variables {
    keep_images = 0
  }

  expect_failures = [var.keep_images]
}

run "a_malformed_kms_key_arn_is_refused" {
  command = plan

  variables {
    kms_key_arn = "alias/not-an-arn"
  }

  expect_failures = [var.kms_key_arn]
}

run "a_name_that_would_make_a_bad_repository_path_is_refused" {
  command = plan

  variables {
    name = "bazaar-"
  }

  expect_failures = [var.name]
}
