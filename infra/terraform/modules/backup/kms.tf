# The vault's own key. AWS Backup uses it on behalf of the principal that
# asks (the backup role for jobs, the deploy role when the vault is made),
# through the Backup service: so the statements name the role and
# kms:ViaService backup.<region>, not a service principal, which never
# calls KMS itself for a vault.

# jsonencode rather than aws_iam_policy_document: the tests, on a mocked
# provider, can then read the policy Terraform will send.
locals {
  via_backup = { "kms:ViaService" = "backup.${local.region}.${local.dns_suffix}" }

  key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "BackupRoleUsesThroughAwsBackup"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.this.arn }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = local.via_backup }
      },
      {
        # AWS Backup hands the key to the storage behind the vault by a
        # grant, only ever for an AWS resource.
        Sid       = "BackupRoleGrantsToAwsBackup"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.this.arn }
        Action    = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
        Resource  = "*"
        Condition = { StringEquals = local.via_backup, Bool = { "kms:GrantIsForAWSResource" = "true" } }
      },
    ]
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name} AWS Backup vault"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = jsonencode(local.key_policy)

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-backup"
  target_key_id = aws_kms_key.this.key_id
}
