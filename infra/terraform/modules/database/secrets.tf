# Per service: the secret its tasks read DATABASE_URL from
# (postgresql+asyncpg://<svc>:<password>@<endpoint>:5432/<db>?ssl=require),
# the one setting bazaar_common.settings reads. Terraform creates the secret
# only, never a version: the password is generated and written by the
# database bootstrap job (README), so it is never in a plan or in state.

resource "aws_secretsmanager_secret" "service" {
  #checkov:skip=CKV2_AWS_57:The value is a whole DATABASE_URL written by the bootstrap job; Secrets Manager's managed rotation cannot rewrite it (rotation is future work, see README).
  for_each = var.services

  name                    = "${var.name}/${each.key}/database-url"
  description             = "DATABASE_URL of ${each.key} (role ${each.key}, database ${each.value.database} on ${local.cluster_identifier}); value written by the database bootstrap job, not by Terraform"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = merge(var.tags, { Service = each.key })
}
