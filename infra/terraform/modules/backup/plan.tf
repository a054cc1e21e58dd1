# One plan, two rules on the same cluster: a daily snapshot kept
# daily_retention_days (and copied to a second region), and a continuous
# rule for point-in-time restore. AWS Backup runs both; for Aurora the
# continuous one manages the cluster's own automated backups.

resource "aws_backup_plan" "this" {
  name = var.name

  rule {
    rule_name                    = "daily"
    target_vault_name            = aws_backup_vault.this.name
    schedule                     = var.daily_schedule
    schedule_expression_timezone = "Etc/UTC"
    start_window                 = var.start_window_minutes
    completion_window            = var.completion_window_minutes
    enable_continuous_backup     = false

    lifecycle {
      delete_after = var.daily_retention_days
    }

    dynamic "copy_action" {
      for_each = var.copy_vault_arn == null ? [] : [var.copy_vault_arn]

      content {
        destination_vault_arn = copy_action.value

        lifecycle {
          delete_after = var.copy_retention_days
        }
      }
    }

    recovery_point_tags = merge(var.tags, { BackupRule = "daily" })
  }

  dynamic "rule" {
    for_each = var.enable_continuous_backup ? [1] : []

    content {
      rule_name         = "continuous"
      target_vault_name = aws_backup_vault.this.name
      # A continuous rule still has a schedule: AWS Backup's daily
      # maintenance of the recovery point, not a snapshot. Apart from the
      # daily rule's: when two rules' jobs for one resource overlap, AWS
      # Backup runs only one of them.
      schedule                     = var.continuous_schedule
      schedule_expression_timezone = "Etc/UTC"
      start_window                 = var.start_window_minutes
      completion_window            = var.completion_window_minutes
      enable_continuous_backup     = true

      # No cold storage: point-in-time recovery points cannot move there.
      lifecycle {
        delete_after = var.continuous_retention_days
      }

      recovery_point_tags = merge(var.tags, { BackupRule = "continuous" })
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.copy_region == null || local.copy_region != local.region
      error_message = "copy_vault_arn must be a vault in another region than this one (${local.region}): a copy in the same region survives no regional outage."
    }
  }
}

resource "aws_backup_selection" "this" {
  count = var.enable_selection ? 1 : 0

  name         = "${var.name}-aurora"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = [var.cluster_arn]

  # A job started before the role holds its policies fails.
  depends_on = [aws_iam_role_policy_attachment.this]

  lifecycle {
    precondition {
      condition     = split(":", var.cluster_arn)[3] == local.region
      error_message = "cluster_arn must be a cluster in this region (${local.region}): a plan protects its own region's resources; the second region gets copies."
    }
  }
}
