# terraform test: the writer's, readers' and bucket's policies as the real
# provider renders them (offline: aws_iam_policy_document makes no API
# call), decoded and read statement by statement. Apart from
# tests/event_archive.tftest.hcl because these runs configure the real
# provider: a provider process takes only one configuration.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  name = "bazaar-test"
  # Given, so every policy is known at plan.
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
}

run "the_writer_puts_once_reads_and_lists_under_events_only" {
  command = plan

  assert {
    condition = {
      for s in jsondecode(output.writer_policy_json).Statement : s.Sid => {
        effect   = s.Effect
        actions  = toset(flatten([s.Action]))
        resource = toset(flatten([s.Resource]))
      }
      } == {
      WriteEventsOnce       = { effect = "Allow", actions = toset(["s3:PutObject"]), resource = toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012/events/*"]) }
      ReadEvents            = { effect = "Allow", actions = toset(["s3:GetObject"]), resource = toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012/events/*"]) }
      ListEvents            = { effect = "Allow", actions = toset(["s3:ListBucket"]), resource = toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012"]) }
      DecryptWithArchiveKey = { effect = "Allow", actions = toset(["kms:Decrypt"]), resource = toset([var.kms_key_arn]) }
      EncryptWithArchiveKey = { effect = "Allow", actions = toset(["kms:GenerateDataKey"]), resource = toset([var.kms_key_arn]) }
    }
    error_message = "The writer may put and get under events/, list the bucket, and use the archive's key: nothing else."
  }

  assert {
    condition = [
      for s in jsondecode(output.writer_policy_json).Statement : s.Condition if s.Sid == "WriteEventsOnce"
    ] == [{ Null = { "s3:if-none-match" = "false" } }]
    error_message = "The writer's PutObject is allowed only with If-None-Match: an archived batch is never overwritten."
  }

  assert {
    condition = [
      for s in jsondecode(output.writer_policy_json).Statement : s.Condition if s.Sid == "ListEvents"
    ] == [{ StringLike = { "s3:prefix" = ["events/", "events/*"] } }]
    error_message = "The writer lists only with an s3:prefix under events/."
  }

  assert {
    condition = [
      for s in jsondecode(output.writer_policy_json).Statement : s.Condition
      if contains(["DecryptWithArchiveKey", "EncryptWithArchiveKey"], s.Sid)
    ] == [for _ in range(2) : { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }]
    error_message = "The writer uses the key only through S3."
  }
}

run "a_reader_gets_and_lists_under_events_and_decrypts_nothing_more" {
  command = plan

  assert {
    condition = {
      for s in jsondecode(output.reader_policy_json).Statement : s.Sid => {
        effect    = s.Effect
        actions   = toset(flatten([s.Action]))
        resource  = toset(flatten([s.Resource]))
        condition = try(s.Condition, null)
      }
      } == {
      ReadEvents            = { effect = "Allow", actions = toset(["s3:GetObject"]), resource = toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012/events/*"]), condition = null }
      ListEvents            = { effect = "Allow", actions = toset(["s3:ListBucket"]), resource = toset(["arn:aws:s3:::bazaar-test-event-archive-123456789012"]), condition = { StringLike = { "s3:prefix" = ["events/", "events/*"] } } }
      DecryptWithArchiveKey = { effect = "Allow", actions = toset(["kms:Decrypt"]), resource = toset([var.kms_key_arn]), condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } } }
    }
    error_message = "A reader may get under events/, list with a prefix under events/ and decrypt through S3: nothing else."
  }
}

run "no_policy_deletes_or_reaches_beyond_the_archive" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for document in [output.writer_policy_json, output.reader_policy_json] : [
        for s in jsondecode(document).Statement : [
          for action in flatten([s.Action]) : !strcontains(lower(action), "delete") && !strcontains(action, "*")
        ]
      ]
    ]))
    error_message = "Neither policy grants a delete or a wildcard action."
  }

  assert {
    condition = alltrue(flatten([
      for document in [output.writer_policy_json, output.reader_policy_json] : [
        for s in jsondecode(document).Statement : [
          for resource in flatten([s.Resource]) : contains([
            "arn:aws:s3:::bazaar-test-event-archive-123456789012",
            "arn:aws:s3:::bazaar-test-event-archive-123456789012/events/*",
            var.kms_key_arn,
          ], resource)
        ]
      ]
    ]))
    error_message = "Both policies name only the bucket, its events/ prefix and the archive's key."
  }
}

run "the_bucket_policy_only_denies" {
  command = plan

  assert {
    condition = {
      for s in jsondecode(data.aws_iam_policy_document.bucket.json).Statement : s.Sid => {
        effect    = s.Effect
        principal = s.Principal
        actions   = toset(flatten([s.Action]))
      }
      } == {
      DenyInsecureTransport = { effect = "Deny", principal = "*", actions = toset(["s3:*"]) }
      DenyOtherEncryption   = { effect = "Deny", principal = "*", actions = toset(["s3:PutObject"]) }
      DenyOtherKmsKeys      = { effect = "Deny", principal = "*", actions = toset(["s3:PutObject"]) }
      DenyDeleteMarkers     = { effect = "Deny", principal = "*", actions = toset(["s3:DeleteObject"]) }
    }
    error_message = "The bucket policy denies plain HTTP, other encryption, other keys and delete markers to everyone, and allows nothing."
  }

  assert {
    condition = [
      for s in jsondecode(data.aws_iam_policy_document.bucket.json).Statement : s.Condition if s.Sid == "DenyOtherKmsKeys"
      ] == [{
        Null            = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "false" }
        StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = var.kms_key_arn }
    }]
    error_message = "Only a PutObject that names another key is denied (one naming none gets the default, the archive's key)."
  }
}
