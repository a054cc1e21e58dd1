# The deploy role's rights on the platform's compute (modules/cluster,
# service, ecr, discovery): the cluster <prefix>, its services
# <prefix>-<service>, their task definitions, scaling, repositories and
# Cloud Map entries, and the database bootstrap tasks the deploy job runs
# after each apply (families <prefix>-<service>-database).

locals {
  deploy_compute = {
    for environment, platform in local.platform : environment => [
      {
        Sid    = "OwnCluster"
        Effect = "Allow"
        Action = [
          "ecs:CreateCluster",
          "ecs:DeleteCluster",
          "ecs:PutClusterCapacityProviders",
          "ecs:TagResource",
          "ecs:UntagResource",
          "ecs:UpdateCluster",
          "ecs:UpdateClusterSettings",
        ]
        Resource = ["${platform.ecs}:cluster/${platform.prefix}"]
      },
      {
        # The cluster's and services' capacity providers are AWS's own.
        Sid      = "FargateCapacityProviders"
        Effect   = "Allow"
        Action   = ["ecs:CreateService", "ecs:PutClusterCapacityProviders", "ecs:UpdateService"]
        Resource = ["${platform.ecs}:capacity-provider/FARGATE", "${platform.ecs}:capacity-provider/FARGATE_SPOT"]
      },
      {
        # UpdateService also forces the new deployment that recovers a
        # service after its database bootstrap (make deploy-database).
        Sid    = "OwnServices"
        Effect = "Allow"
        Action = [
          "ecs:CreateService",
          "ecs:DeleteService",
          "ecs:TagResource",
          "ecs:UntagResource",
          "ecs:UpdateService",
        ]
        Resource = ["${platform.ecs}:service/${platform.prefix}/${platform.prefix}-*"]
      },
      {
        # RegisterTaskDefinition has no resource-level permission: a new
        # revision must carry the environment's tag. No Deregister: the
        # task definitions are skip_destroy, the previous revision stays the
        # circuit breaker's rollback target.
        Sid       = "RegisterTaskDefinitionsWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["ecs:RegisterTaskDefinition"]
        Resource  = ["*"]
        Condition = platform.request_tag
      },
      {
        # The tags of that registration (ECS checks TagResource for them).
        Sid      = "TagTaskDefinitionsOnRegistration"
        Effect   = "Allow"
        Action   = ["ecs:TagResource"]
        Resource = ["*"]
        Condition = {
          StringEquals = {
            "ecs:CreateAction"                          = "RegisterTaskDefinition"
            "aws:RequestTag/${var.environment_tag_key}" = environment
          }
        }
      },
      {
        Sid      = "TagOwnTaskDefinitions"
        Effect   = "Allow"
        Action   = ["ecs:TagResource", "ecs:UntagResource"]
        Resource = ["${platform.ecs}:task-definition/${platform.prefix}-*:*"]
      },
      {
        # The only tasks the deploy role starts itself: each service's
        # database bootstrap, in the environment's cluster.
        Sid       = "RunDatabaseBootstrapTasks"
        Effect    = "Allow"
        Action    = ["ecs:RunTask"]
        Resource  = ["${platform.ecs}:task-definition/${platform.prefix}-*-database:*"]
        Condition = { ArnEquals = { "ecs:cluster" = "${platform.ecs}:cluster/${platform.prefix}" } }
      },
      {
        # ECS offers no task-definition condition for these: they reach
        # every task of the environment's cluster, services' tasks included
        # (a stopped one is replaced by its service).
        Sid      = "WatchAndStopTasksOfOwnCluster"
        Effect   = "Allow"
        Action   = ["ecs:DescribeTasks", "ecs:StopTask"]
        Resource = ["${platform.ecs}:task/${platform.prefix}/*"]
      },
      {
        # Registering a task definition and running a task pass its task and
        # execution roles: the environment's, to ECS tasks only.
        Sid    = "PassTaskRolesToEcsTasks"
        Effect = "Allow"
        Action = ["iam:PassRole"]
        Resource = [
          "${local.iam_arn}:role/${platform.prefix}-*-task",
          "${local.iam_arn}:role/${platform.prefix}-*-execution",
          "${local.iam_arn}:role/${platform.prefix}-*-database",
        ]
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
      {
        # Scalable targets have generated ARNs: created with the environment's
        # tag, changed while they carry it.
        Sid       = "RegisterScalableTargetsWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource"]
        Resource  = ["*"]
        Condition = platform.request_tag
      },
      {
        Sid    = "OwnScalableTargets"
        Effect = "Allow"
        Action = [
          "application-autoscaling:DeleteScalingPolicy",
          "application-autoscaling:DeregisterScalableTarget",
          "application-autoscaling:PutScalingPolicy",
          "application-autoscaling:RegisterScalableTarget",
          "application-autoscaling:TagResource",
          "application-autoscaling:UntagResource",
        ]
        Resource  = ["*"]
        Condition = platform.resource_tag
      },
      {
        # Target tracking makes and removes its own alarms in the caller's
        # name: TargetTracking-service/<cluster>/<service>-Alarm...
        Sid      = "TargetTrackingAlarmsOfOwnServices"
        Effect   = "Allow"
        Action   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"]
        Resource = ["${platform.alarms}:TargetTracking-service/${platform.prefix}/*"]
      },
      {
        Sid    = "OwnRepositories"
        Effect = "Allow"
        Action = [
          "ecr:CreateRepository",
          "ecr:DeleteLifecyclePolicy",
          "ecr:DeleteRepository",
          "ecr:PutImageScanningConfiguration",
          "ecr:PutImageTagMutability",
          "ecr:PutLifecyclePolicy",
          "ecr:TagResource",
          "ecr:UntagResource",
        ]
        Resource = [platform.repository]
      },
      {
        # Cloud Map ARNs carry generated ids: tag scoped.
        Sid       = "CreateDiscoveryWithEnvironmentTag"
        Effect    = "Allow"
        Action    = ["servicediscovery:CreatePrivateDnsNamespace", "servicediscovery:CreateService", "servicediscovery:TagResource"]
        Resource  = ["*"]
        Condition = platform.request_tag
      },
      {
        Sid    = "OwnDiscovery"
        Effect = "Allow"
        Action = [
          "servicediscovery:DeleteNamespace",
          "servicediscovery:DeleteService",
          "servicediscovery:TagResource",
          "servicediscovery:UntagResource",
          "servicediscovery:UpdatePrivateDnsNamespace",
          "servicediscovery:UpdateService",
        ]
        Resource  = ["*"]
        Condition = platform.resource_tag
      },
      {
        # A private DNS namespace is a Route 53 private hosted zone that
        # Cloud Map creates in the caller's name (it deletes it itself).
        # CreateHostedZone has no resource-level permission.
        Sid      = "HostedZoneOfTheNamespace"
        Effect   = "Allow"
        Action   = ["route53:CreateHostedZone"]
        Resource = ["*"]
      },
      {
        # The first cluster, load balancer, database and scaling target of an
        # account create their service-linked roles; only those.
        Sid      = "ServiceLinkedRoles"
        Effect   = "Allow"
        Action   = ["iam:CreateServiceLinkedRole"]
        Resource = ["${local.iam_arn}:role/aws-service-role/*"]
        Condition = {
          StringEquals = {
            "iam:AWSServiceName" = [
              "ecs.amazonaws.com",
              "ecs.application-autoscaling.amazonaws.com",
              "elasticloadbalancing.amazonaws.com",
              "rds.amazonaws.com",
            ]
          }
        }
      },
    ]
  }
}
