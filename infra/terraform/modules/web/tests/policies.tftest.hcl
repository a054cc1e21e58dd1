# terraform test: the bucket's and the publisher's policies as the real
# provider renders them (offline: aws_iam_policy_document makes no API
# call), decoded and read statement by statement. Apart from
# tests/web.tftest.hcl because these runs configure the real provider: a
# provider process takes only one configuration.

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

# Every resource is overridden, so the runs apply without a single AWS call
# and the policy documents, which name the distribution's ARN, are read
# (Terraform reads a data source that depends on a planned resource only
# at apply).
override_resource {
  target = aws_cloudfront_distribution.this
  values = {
    id          = "E1WEBTEST00001"
    arn         = "arn:aws:cloudfront::123456789012:distribution/E1WEBTEST00001"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}

override_resource {
  target = aws_s3_bucket.this
  values = { id = "bazaar-test-web-123456789012", arn = "arn:aws:s3:::bazaar-test-web-123456789012" }
}

override_resource {
  target = aws_s3_bucket_public_access_block.this
}

override_resource {
  target = aws_s3_bucket_ownership_controls.this
}

override_resource {
  target = aws_s3_bucket_versioning.this
}

override_resource {
  target = aws_s3_bucket_server_side_encryption_configuration.this
}

override_resource {
  target = aws_s3_bucket_lifecycle_configuration.this
}

override_resource {
  target = aws_s3_bucket_policy.this
}

override_resource {
  target = aws_s3_object.config
}

override_resource {
  target = aws_cloudfront_origin_access_control.this
}

override_resource {
  target = aws_cloudfront_function.spa_rewrite
  values = { arn = "arn:aws:cloudfront::123456789012:function/bazaar-test-spa-rewrite" }
}

override_resource {
  target = aws_cloudfront_response_headers_policy.security
}

variables {
  name                   = "bazaar-test"
  api_origin_domain_name = "api.test.example.com"
  api_path_patterns      = ["/orders*"]
  cognito_domain_url     = "https://bazaar-test-123456789012.auth.eu-west-1.amazoncognito.com"
  app_config             = { auth = { kind = "cognito-hosted-ui" } }
}

run "the_publisher_lists_puts_deletes_and_invalidates_nothing_more" {
  command = apply

  assert {
    condition = {
      for s in jsondecode(output.deployer_policy_json).Statement : s.Sid => {
        effect   = s.Effect
        actions  = toset(flatten([s.Action]))
        resource = toset(flatten([s.Resource]))
      }
      } == {
      ListTheApp            = { effect = "Allow", actions = toset(["s3:ListBucket"]), resource = toset(["arn:aws:s3:::bazaar-test-web-123456789012"]) }
      PublishTheApp         = { effect = "Allow", actions = toset(["s3:PutObject", "s3:DeleteObject"]), resource = toset(["arn:aws:s3:::bazaar-test-web-123456789012/*"]) }
      NeverTheRuntimeConfig = { effect = "Deny", actions = toset(["s3:PutObject", "s3:DeleteObject"]), resource = toset(["arn:aws:s3:::bazaar-test-web-123456789012/config.json"]) }
      InvalidateTheApp      = { effect = "Allow", actions = toset(["cloudfront:CreateInvalidation"]), resource = toset(["arn:aws:cloudfront::123456789012:distribution/E1WEBTEST00001"]) }
    }
    error_message = "A publisher lists the bucket, puts and deletes its files but config.json, and invalidates this distribution: nothing else."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(output.deployer_policy_json).Statement : [
        for action in flatten([s.Action]) : !strcontains(action, "*") && !contains(["s3:GetObject", "s3:PutBucketPolicy", "cloudfront:UpdateDistribution"], action)
      ]
    ]))
    error_message = "No wildcard action, no read of the files, no change to the bucket or the distribution."
  }
}

run "the_bucket_policy_lets_only_this_distribution_read" {
  command = apply

  assert {
    condition = {
      for s in jsondecode(data.aws_iam_policy_document.bucket.json).Statement : s.Sid => {
        effect    = s.Effect
        principal = s.Principal
        actions   = toset(flatten([s.Action]))
        condition = s.Condition
      }
      } == {
      DistributionReadsTheApp = {
        effect    = "Allow"
        principal = { Service = "cloudfront.amazonaws.com" }
        actions   = toset(["s3:GetObject"])
        condition = { StringEquals = { "AWS:SourceArn" = "arn:aws:cloudfront::123456789012:distribution/E1WEBTEST00001" } }
      }
      DenyInsecureTransport = {
        effect    = "Deny"
        principal = "*"
        actions   = toset(["s3:*"])
        condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    }
    error_message = "CloudFront reads only for this distribution (AWS:SourceArn); plain HTTP is denied to everyone; no one else is granted anything."
  }
}
