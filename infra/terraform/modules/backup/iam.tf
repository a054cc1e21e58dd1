# The role AWS Backup assumes to run the plan's jobs: AWS's own managed
# policy for backups, which follows the services AWS Backup supports, and
# that same policy as its permissions boundary. The environment's workload
# boundary cannot bound it (it would cut the snapshot and KMS calls a backup
# needs), and a boundary equal to the one attached policy lets the deploy
# role create exactly this role and nothing wider (modules/github-oidc).
# Restores are an operator's act, with the operator's rights and a role of
# their choosing (docs/disaster-recovery.md): nothing here can restore.

locals {
  backup_policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

locals {
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only on behalf of this account: no other account's plan can make
      # AWS Backup act as this role (confused deputy).
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Assumed by AWS Backup to back up ${var.name}'s Aurora cluster"
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.attach_aws_managed_policies ? local.backup_policy_arn : null

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  count = var.attach_aws_managed_policies ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = local.backup_policy_arn
}
