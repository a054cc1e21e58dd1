# The deploy role's EC2 rights (modules/network, the security groups of
# alb, database, service and platform). EC2 resource ARNs carry generated
# ids, never names, so the environment's tag is the scope: a resource may be
# created only with the tag (aws:RequestTag), and changed or deleted only
# while it has it (aws:ResourceTag). A create names its new resource and its
# parents (a subnet's VPC, a NAT gateway's subnet and address, ...): the new
# one is checked for the request's tag, each parent for its own tag, so no
# environment can build into another's VPC.

locals {
  # The create call of each new resource type (EC2 tag-on-create).
  ec2_creates = {
    vpc              = ["ec2:CreateVpc"]
    subnet           = ["ec2:CreateSubnet"]
    route-table      = ["ec2:CreateRouteTable"]
    internet-gateway = ["ec2:CreateInternetGateway"]
    elastic-ip       = ["ec2:AllocateAddress"]
    natgateway       = ["ec2:CreateNatGateway"]
    security-group   = ["ec2:CreateSecurityGroup"]
    vpc-endpoint     = ["ec2:CreateVpcEndpoint"]
    vpc-flow-log     = ["ec2:CreateFlowLogs"]
  }

  ec2_rule_calls = [
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:ModifySecurityGroupRules",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  ]

  deploy_network = {
    for environment, platform in local.platform : environment => concat(
      [
        for type, actions in local.ec2_creates : {
          Sid       = "Create${replace(title(replace(type, "-", " ")), " ", "")}WithEnvironmentTag"
          Effect    = "Allow"
          Action    = actions
          Resource  = ["${platform.ec2}:${type}/*"]
          Condition = platform.request_tag
        }
      ],
      [
        {
          # Tags given at creation need CreateTags too, for that call only.
          Sid      = "TagOnCreate"
          Effect   = "Allow"
          Action   = ["ec2:CreateTags"]
          Resource = [for type in concat(keys(local.ec2_creates), ["security-group-rule"]) : "${platform.ec2}:${type}/*"]
          Condition = {
            StringEquals = {
              "ec2:CreateAction" = concat(flatten(values(local.ec2_creates)), ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"])
            }
          }
        },
        {
          # Parents of a create, and everything done to existing resources:
          # only while they carry the environment's tag.
          Sid    = "ChangeOwnNetwork"
          Effect = "Allow"
          Action = concat(flatten(values(local.ec2_creates)), local.ec2_rule_calls, [
            "ec2:AssociateRouteTable",
            "ec2:AttachInternetGateway",
            "ec2:CreateRoute",
            "ec2:CreateTags",
            "ec2:DeleteFlowLogs",
            "ec2:DeleteInternetGateway",
            "ec2:DeleteNatGateway",
            "ec2:DeleteRoute",
            "ec2:DeleteRouteTable",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteSubnet",
            "ec2:DeleteTags",
            "ec2:DeleteVpc",
            "ec2:DeleteVpcEndpoints",
            "ec2:DetachInternetGateway",
            "ec2:DisassociateRouteTable",
            "ec2:ModifySubnetAttribute",
            "ec2:ModifyVpcAttribute",
            "ec2:ModifyVpcEndpoint",
            "ec2:ReleaseAddress",
            "ec2:ReplaceRoute",
          ])
          Resource  = [for type in keys(local.ec2_creates) : "${platform.ec2}:${type}/*"]
          Condition = platform.resource_tag
        },
        {
          # A rule is authorized, changed or revoked within its group, which
          # the statement above checks for the tag; the rule itself (AWS's
          # default egress rule of a new group has no tag) is not.
          Sid      = "RulesOfOwnSecurityGroups"
          Effect   = "Allow"
          Action   = local.ec2_rule_calls
          Resource = ["${platform.ec2}:security-group-rule/*"]
        },
        {
          # An endpoint also names the AWS service it reaches (com.amazonaws.
          # <region>.<service>, AWS's, not the account's).
          Sid      = "EndpointsToAwsServices"
          Effect   = "Allow"
          Action   = ["ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"]
          Resource = ["arn:${local.partition}:ec2:${local.region}:*:vpc-endpoint-service/*"]
        },
        {
          # aws_default_security_group adopts the default group AWS makes
          # with each VPC, untagged: it may tag an untagged group with its
          # own environment (then empties it, as ChangeOwnNetwork allows),
          # never retag another environment's.
          Sid      = "AdoptTheNewVpcsDefaultSecurityGroup"
          Effect   = "Allow"
          Action   = ["ec2:CreateTags"]
          Resource = ["${platform.ec2}:security-group/*"]
          Condition = {
            StringEquals = { "aws:RequestTag/${var.environment_tag_key}" = environment }
            Null         = { "aws:ResourceTag/${var.environment_tag_key}" = "true" }
          }
        },
      ],
    )
  }
}
