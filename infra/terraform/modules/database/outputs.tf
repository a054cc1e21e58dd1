output "cluster_arn" {
  description = "ARN of the Aurora cluster."
  value       = aws_rds_cluster.this.arn
}

output "cluster_id" {
  description = "Identifier of the Aurora cluster (\"<name>-db\")."
  value       = aws_rds_cluster.this.id
}

output "cluster_resource_id" {
  description = "The cluster's resource ID (cluster-XXXX): rds-db:connect policies name arn:aws:rds-db:<region>:<account>:dbuser:<this>/<service>."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "endpoint" {
  description = "The writer endpoint."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "The reader endpoint (the writer itself while instance_count is 1)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "The PostgreSQL port."
  value       = aws_rds_cluster.this.port
}

output "security_group_id" {
  description = "The database's security group (ingress only from allowed_security_group_ids)."
  value       = aws_security_group.this.id
}

output "master_username" {
  description = "The master user, used only by the database bootstrap tasks."
  value       = aws_rds_cluster.this.master_username
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret holding the master user's password (read by the database bootstrap tasks only)."
  value       = one(aws_rds_cluster.this.master_user_secret[*].secret_arn)
}

output "service_secret_arns" {
  description = "ARN of each service's DATABASE_URL secret (<name>/<service>/database-url), by service name: the service module's database_url_secret_arn. Created empty; the service's database bootstrap task writes the value."
  value       = { for key, secret in aws_secretsmanager_secret.service : key => secret.arn }
}

output "service_secret_names" {
  description = "Name of each service's DATABASE_URL secret (<name>/<service>/database-url), by service name: written by the service's database bootstrap task."
  value       = { for key, secret in aws_secretsmanager_secret.service : key => secret.name }
}

output "migrations_secret_arns" {
  description = "ARN of each service's migrations DATABASE_URL secret (<name>/<service>/migrations-database-url, role <db>_owner), by service name: read only by the migrations container that runs before the app in every task."
  value       = { for key, secret in aws_secretsmanager_secret.migrations : key => secret.arn }
}

output "kms_key_arn" {
  description = "The database's KMS key: the tasks need kms:Decrypt on it to read their secret."
  value       = aws_kms_key.this.arn
}

output "backup_retention_period" {
  description = "Days of automated backups: how far back a point-in-time restore reaches."
  value       = aws_rds_cluster.this.backup_retention_period
}
