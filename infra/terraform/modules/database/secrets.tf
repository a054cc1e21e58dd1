# Per service, two secrets, each one whole DATABASE_URL
# (postgresql+asyncpg://<role>:<password>@<endpoint>:5432/<db>?ssl=require),
# the one setting bazaar_common reads: the app's (role <db>_app, rows only)
# and the migrations' (role <db>_owner, the schema). Terraform creates the
# secrets only, never a version: each service's database bootstrap task
# generates the passwords and writes the values (README), so no password is
# ever in a plan or in state.

resource "aws_secretsmanager_secret" "service" {
  #checkov:skip=CKV2_AWS_57:The value is a whole DATABASE_URL written by the bootstrap job; Secrets Manager's managed rotation cannot rewrite it (rotation is future work, see README).
  for_each = var.services

  name                    = "${var.name}/${each.key}/database-url"
  description             = "DATABASE_URL of ${each.key} (role ${each.value.database}_app, database ${each.value.database} on ${local.cluster_identifier}); value written by the service's database bootstrap task, not by Terraform"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(var.tags, { Service = each.key })
}

resource "aws_secretsmanager_secret" "migrations" {
  #checkov:skip=CKV2_AWS_57:The value is a whole DATABASE_URL written by the bootstrap task; Secrets Manager's managed rotation cannot rewrite it (the task rotates: README).
  for_each = var.services

  name                    = "${var.name}/${each.key}/migrations-database-url"
  description             = "DATABASE_URL of ${each.key}'s migrations (role ${each.value.database}_owner, owner of database ${each.value.database} on ${local.cluster_identifier}); value written by the service's database bootstrap task, not by Terraform"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(var.tags, { Service = each.key })
}
