# The AWS provider's answers in the platform's tests (loaded through
# `mock_provider "aws" { source = "./tests/mocks" }`): one account, one
# region, its zones; ARNs where other resources parse them.

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}

mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_availability_zones" {
  defaults = {
    names    = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    zone_ids = ["euw1-az1", "euw1-az2", "euw1-az3"]
  }
}

# Keys, roles and log policies refuse a random string as their JSON.
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_elb_service_account" {
  defaults = { arn = "arn:aws:iam::156460612806:root" }
}

# ARNs other resources validate or parse (applied runs).
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/bazaar-test-mock" }
}
