# The deploy role's rights on the platform's edge (modules/alb, modules/web):
# the ALB <prefix>-alb with its listeners and rules, the target groups
# <prefix>-<service>, the web ACL <prefix>-alb and its logging, and the
# access log bucket <prefix>-alb-logs-<account>. ELB and WAF ARNs carry the
# names, so the names scope them. The browser app's bucket <prefix>-web-<account>,
# its files (the release publishes them: modules/web's deployer_policy_json),
# and its distribution, scoped by the environment's tag.

locals {
  # What Terraform does to a bucket of the platform and its configuration
  # (the audit bucket's statement adds its logging and object lock).
  bucket_calls = [
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
  ]

  deploy_edge = {
    for environment, platform in local.platform : environment => concat([
      {
        Sid    = "OwnLoadBalancer"
        Effect = "Allow"
        Action = [
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:CreateLoadBalancer",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:CreateTargetGroup",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:DeleteRule",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:RemoveTags",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetRulePriorities",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:SetWebAcl",
        ]
        Resource = [
          "${platform.elb}:loadbalancer/app/${platform.prefix}-alb/*",
          "${platform.elb}:listener/app/${platform.prefix}-alb/*",
          "${platform.elb}:listener-rule/app/${platform.prefix}-alb/*",
          # modules/alb shortens long names, keeping their first 25 characters.
          "${platform.elb}:targetgroup/${platform.prefix}-*/*",
        ]
      },
      {
        # CreateWebACL and UpdateWebACL also name the AWS managed rule groups
        # the ACL references (their ARNs are AWS's, any account).
        Sid    = "OwnWebAcl"
        Effect = "Allow"
        Action = [
          "wafv2:AssociateWebACL",
          "wafv2:CreateWebACL",
          "wafv2:DeleteLoggingConfiguration",
          "wafv2:DeleteWebACL",
          "wafv2:DisassociateWebACL",
          "wafv2:PutLoggingConfiguration",
          "wafv2:TagResource",
          "wafv2:UntagResource",
          "wafv2:UpdateWebACL",
        ]
        Resource = [
          "${platform.wafv2}/webacl/${platform.prefix}-alb/*",
          "arn:${local.partition}:wafv2:${local.region}:*:regional/managedruleset/*/*",
          "${platform.elb}:loadbalancer/app/${platform.prefix}-alb/*",
        ]
      },
      {
        # WAF's delivery to CloudWatch Logs and the log group's resource
        # policy (aws_cloudwatch_log_resource_policy): CloudWatch Logs offers
        # no resource-level permission for these calls; the resource policy
        # is named per environment (<prefix>-waf-log-delivery).
        Sid    = "WafLogDeliveryHasNoResourceLevelPermission"
        Effect = "Allow"
        Action = [
          "logs:CreateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:DeleteResourcePolicy",
          "logs:GetLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:UpdateLogDelivery",
        ]
        Resource = ["*"]
      },
      {
        Sid    = "OwnAlbLogBucket"
        Effect = "Allow"
        Action = local.bucket_calls
        # The name holds the account id: no other account's bucket matches.
        Resource = [platform.alb_log_bucket]
      },
      {
        # Only a disposable environment's destroy empties the bucket
        # (access_logs_force_destroy); deleting is all it may do to objects.
        Sid      = "EmptyAlbLogBucketOnDestroy"
        Effect   = "Allow"
        Action   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"]
        Resource = [platform.alb_log_bucket, "${platform.alb_log_bucket}/*"]
      },
      {
        Sid      = "OwnWebBucket"
        Effect   = "Allow"
        Action   = local.bucket_calls
        Resource = [platform.web_bucket]
      },
      {
        # The release's aws s3 sync (list, put, --delete) and Terraform's
        # config.json (put with the default tags); a disposable
        # environment's destroy empties the bucket, versions too.
        Sid      = "PublishWebApp"
        Effect   = "Allow"
        Action   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "s3:PutObject", "s3:PutObjectTagging"]
        Resource = [platform.web_bucket, "${platform.web_bucket}/*"]
      },
      {
        # Distribution ARNs carry generated ids: created only with the
        # environment's tag...
        Sid       = "CreateWebDistributionWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["cloudfront:CreateDistribution", "cloudfront:TagResource"]
        Resource  = ["${platform.cloudfront}:distribution/*"]
        Condition = platform.request_tag
      },
      {
        # ...changed, invalidated (the release) and deleted only while it has it.
        Sid       = "OwnWebDistribution"
        Effect    = "Allow"
        Action    = ["cloudfront:CreateInvalidation", "cloudfront:DeleteDistribution", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateDistribution"]
        Resource  = ["${platform.cloudfront}:distribution/*"]
        Condition = platform.resource_tag
      },
      {
        Sid      = "OwnWebFunction"
        Effect   = "Allow"
        Action   = ["cloudfront:CreateFunction", "cloudfront:DeleteFunction", "cloudfront:PublishFunction", "cloudfront:UpdateFunction"]
        Resource = ["${platform.cloudfront}:function/${platform.prefix}-*"]
      },
      {
        # Their ARNs hold a generated id and they take no tags: the
        # account's, as nothing narrower exists. Neither grants access to
        # anything by itself; the distribution that names them is tag-scoped.
        Sid    = "WebOriginAccessAndHeadersPoliciesHaveNoNameOrTag"
        Effect = "Allow"
        Action = [
          "cloudfront:CreateOriginAccessControl",
          "cloudfront:CreateResponseHeadersPolicy",
          "cloudfront:DeleteOriginAccessControl",
          "cloudfront:DeleteResponseHeadersPolicy",
          "cloudfront:UpdateOriginAccessControl",
          "cloudfront:UpdateResponseHeadersPolicy",
        ]
        Resource = ["${platform.cloudfront}:origin-access-control/*", "${platform.cloudfront}:response-headers-policy/*"]
      },
      ], flatten([
        for domain in compact([var.environments[environment].api_domain_name]) : [
          {
            # The API's alias record (modules/platform dns.tf): in any zone the
            # account holds, but only that one name (Route 53 ARNs carry no
            # record names; this condition does).
            Sid      = "ApiAliasRecord"
            Effect   = "Allow"
            Action   = ["route53:ChangeResourceRecordSets"]
            Resource = ["arn:${local.partition}:route53:::hostedzone/*"]
            Condition = {
              "ForAllValues:StringEquals" = {
                "route53:ChangeResourceRecordSetsNormalizedRecordNames" = [lower(trimsuffix(domain, "."))]
              }
            }
          },
          {
            Sid      = "ApiAliasRecordRead"
            Effect   = "Allow"
            Action   = ["route53:GetChange", "route53:GetHostedZone", "route53:ListResourceRecordSets"]
            Resource = ["arn:${local.partition}:route53:::hostedzone/*", "arn:${local.partition}:route53:::change/*"]
          },
    ]]))
  }
}
