# AWS Config managed rules for what the platform promises. Each identifier
# and its parameters are AWS's (developer guide, "List of AWS Config Managed
# Rules"); the rule names are "<name>-<AWS's rule name>".
#
# Change-triggered rules are scoped to the resource type they evaluate; the
# periodic ones (the CloudTrail rules) run every periodic_rule_frequency.

locals {
  managed_rules = merge(
    {
      # Encryption at rest.
      "s3-bucket-server-side-encryption-enabled" = {
        identifier     = "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"
        description    = "Every S3 bucket encrypts by default (or its policy refuses unencrypted puts)."
        resource_types = ["AWS::S3::Bucket"]
      }
      "rds-storage-encrypted" = {
        identifier     = "RDS_STORAGE_ENCRYPTED"
        description    = "Every RDS DB instance has storage encryption on."
        resource_types = ["AWS::RDS::DBInstance"]
      }
      # Aurora encrypts at the cluster; RDS_STORAGE_ENCRYPTED sees only instances.
      "rds-cluster-encrypted-at-rest" = {
        identifier     = "RDS_CLUSTER_ENCRYPTED_AT_REST"
        description    = "Every RDS (Aurora) cluster is encrypted at rest."
        resource_types = ["AWS::RDS::DBCluster"]
      }
      "sns-encrypted-kms" = {
        identifier     = "SNS_ENCRYPTED_KMS"
        description    = "Every SNS topic is encrypted with a KMS key."
        resource_types = ["AWS::SNS::Topic"]
      }
      "cloud-trail-encryption-enabled" = {
        identifier     = "CLOUD_TRAIL_ENCRYPTION_ENABLED"
        description    = "Every CloudTrail trail encrypts its logs with a KMS key (SSE-KMS)."
        resource_types = null
      }

      # No public buckets, TLS only.
      "s3-bucket-level-public-access-prohibited" = {
        identifier     = "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"
        description    = "No S3 bucket is public through its bucket-level settings (no bucket of the platform is meant to be)."
        resource_types = ["AWS::S3::Bucket"]
      }
      "s3-bucket-ssl-requests-only" = {
        identifier     = "S3_BUCKET_SSL_REQUESTS_ONLY"
        description    = "Every S3 bucket policy refuses requests that do not use TLS."
        resource_types = ["AWS::S3::Bucket"]
      }

      # ECS tasks: non-root, read-only root filesystem, not privileged.
      # ECS_TASK_DEFINITION_NONROOT_USER is documented for EC2-launch-type
      # containers; the Linux rule covers every container of the latest
      # revision, Fargate's (the platform's) included.
      "ecs-task-definition-nonroot-user" = {
        identifier     = "ECS_TASK_DEFINITION_NONROOT_USER"
        description    = "Task definitions name a non-root user for their containers."
        resource_types = ["AWS::ECS::TaskDefinition"]
      }
      "ecs-task-definition-linux-user-non-root" = {
        identifier     = "ECS_TASK_DEFINITION_LINUX_USER_NON_ROOT"
        description    = "Every Linux container of a task definition's latest revision runs as a non-root user."
        resource_types = ["AWS::ECS::TaskDefinition"]
      }
      "ecs-containers-readonly-access" = {
        identifier     = "ECS_CONTAINERS_READONLY_ACCESS"
        description    = "Every container has a read-only root filesystem."
        resource_types = ["AWS::ECS::TaskDefinition"]
      }
      "ecs-containers-nonprivileged" = {
        identifier     = "ECS_CONTAINERS_NONPRIVILEGED"
        description    = "No container runs privileged."
        resource_types = ["AWS::ECS::TaskDefinition"]
      }

      # IAM: no customer managed policy allows "*" on "*". Permissions
      # boundaries are evaluated too (excludePermissionBoundaryPolicy left at
      # its default, false): none of the platform's allows everything.
      "iam-policy-no-statements-with-admin-access" = {
        identifier     = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"
        description    = "No customer managed IAM policy allows every action on every resource."
        resource_types = ["AWS::IAM::Policy"]
      }

      # The trail's integrity.
      "cloud-trail-log-file-validation-enabled" = {
        identifier     = "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"
        description    = "Every CloudTrail trail writes signed digest files (log file validation)."
        resource_types = null
      }
    },
    # Only where the environment promises it: a disposable one without
    # deletion protection would be NON_COMPLIANT by design.
    var.deletion_protection ? {
      "rds-cluster-deletion-protection-enabled" = {
        identifier     = "RDS_CLUSTER_DELETION_PROTECTION_ENABLED"
        description    = "Every RDS (Aurora) cluster has deletion protection on."
        resource_types = ["AWS::RDS::DBCluster"]
      }
    } : {},
  )
}

resource "aws_config_config_rule" "managed" {
  for_each = local.managed_rules

  name        = "${var.name}-${each.key}"
  description = each.value.description

  source {
    owner             = "AWS"
    source_identifier = each.value.identifier
  }

  dynamic "scope" {
    for_each = each.value.resource_types == null ? [] : [each.value.resource_types]

    content {
      compliance_resource_types = scope.value
    }
  }

  # Only periodic rules take a frequency.
  maximum_execution_frequency = each.value.resource_types == null ? var.periodic_rule_frequency : null

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  # A rule evaluates what the recorder records: put it after the recorder
  # runs. Where the organisation's recorder is used these lists are empty.
  depends_on = [
    aws_config_configuration_recorder.this,
    aws_config_configuration_recorder_status.this,
  ]
}
