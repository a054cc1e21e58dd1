# The service's database bootstrap: a one-off task from the service's own
# image (python -m bazaar_common.db.bootstrap) that makes its database, its
# two login roles and their rights, and writes both DATABASE_URL secrets.
# The deploy workflow runs it after every apply (make deploy-database); a
# second run changes nothing.

locals {
  bootstrap_family = "${local.full_name}-database"

  bootstrap_environment = merge(
    {
      DATABASE_HOST     = var.database.host
      DATABASE_PORT     = tostring(var.database.port)
      DATABASE_NAME     = var.database.name
      DATABASE_SSL      = var.database.require_tls ? "require" : "disable"
      MASTER_SECRET_ARN = var.database.master_secret_arn
      OWNER_SECRET_ARN  = var.migrations_database_url_secret_arn
      APP_SECRET_ARN    = var.database_url_secret_arn
      AWS_REGION        = local.region
    },
    # An emulator (envs/moto) stands in for Secrets Manager as for the rest.
    { for key, value in var.environment : key => value if key == "AWS_ENDPOINT_URL" },
  )

  bootstrap_container = {
    name                   = local.bootstrap_name
    image                  = var.image
    essential              = true
    readonlyRootFilesystem = true
    user                   = "10001:10001"
    command                = ["python", "-m", "bazaar_common.db.bootstrap"]
    environment            = [for key in sort(keys(local.bootstrap_environment)) : { name = key, value = local.bootstrap_environment[key] }]
    linuxParameters        = { capabilities = { drop = ["ALL"] } }

    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "database-bootstrap" })
    }
  }
}

resource "aws_iam_role" "bootstrap" {
  name                 = "${local.full_name}-database"
  description          = "The database bootstrap task of ${local.full_name}: reads the master secret, writes its own DATABASE_URL secrets."
  assume_role_policy   = data.aws_iam_policy_document.task_assume.json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "bootstrap" {
  statement {
    sid       = "ReadMasterLogin"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.database.master_secret_arn]
  }

  # It reads what is there to leave a working secret alone, writes a new
  # value otherwise; nothing else of these two secrets, no other secret.
  statement {
    sid       = "KeepOwnDatabaseUrls"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
    resources = [var.database_url_secret_arn, var.migrations_database_url_secret_arn]
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "SecretsKeyViaSecretsManager"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = var.secrets_kms_key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "bootstrap" {
  name   = "${local.full_name}-database"
  role   = aws_iam_role.bootstrap.id
  policy = data.aws_iam_policy_document.bootstrap.json
}

resource "aws_ecs_task_definition" "bootstrap" {
  family                   = local.bootstrap_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  # The service's execution role pulls the same image and writes the same
  # log group; the bootstrap's own secrets are read by the task, not injected.
  execution_role_arn    = aws_iam_role.execution.arn
  task_role_arn         = aws_iam_role.bootstrap.arn
  container_definitions = jsonencode([local.bootstrap_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = var.tags
}
