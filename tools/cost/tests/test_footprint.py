"""Counting resources through module calls, on a hand-made tree and on the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_cost.configuration import count, root_scope
from bazaar_cost.environment import catalog_known, read_environment
from bazaar_cost.errors import InputError
from bazaar_cost.footprint import BackupCopy, BackupRule, EmfMetric, Footprint, footprint
from bazaar_cost.terraform_files import TerraformFiles, read_hcl

from .conftest import REPOSITORY

NETWORK_VARIABLES = REPOSITORY / "infra/terraform/modules/network/variables.tf"


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


TREE = {
    "root/main.tf": """
variable "enable_keys" { type = bool }
variable "zones" {
  type    = number
  default = 2
}
module "keys" {
  source      = "../modules/keys"
  enabled     = var.enable_keys
  zone_count  = var.zones
}
module "per_name" {
  source   = "../modules/keys"
  for_each = toset(["a", "b", "c"])
  enabled  = each.key != "b"
}
""",
    "modules/keys/main.tf": """
variable "enabled" { type = bool }
variable "zone_count" {
  type    = number
  default = 1
}
variable "key_arn" {
  type    = string
  default = null
}
locals {
  create = var.enabled && var.key_arn == null
}
resource "aws_kms_key" "this" {
  count = local.create ? 1 : 0
}
resource "aws_nat_gateway" "this" {
  count = var.zone_count
}
""",
}


def scope(root: Path, variables: dict[str, object]):
    files = TerraformFiles(root)
    return root_scope(files, root / "root", variables, {})


def test_counts_follow_switches_defaults_and_for_each(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    on = scope(tmp_path, {"enable_keys": True})
    # module keys: 1; per_name a and c: 1 each, b: 0.
    assert count(on, "aws_kms_key") == 3
    # keys gets zones (2, the root's default); per_name's three take their own default, 1.
    assert count(on, "aws_nat_gateway") == 2 + 3
    off = scope(tmp_path, {"enable_keys": False, "zones": 3})
    assert count(off, "aws_kms_key") == 2
    assert count(off, "aws_nat_gateway") == 3 + 3


def test_an_expression_it_cannot_follow_stops_it_with_where(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    keys = tmp_path / "modules/keys/main.tf"
    keys.write_text(
        keys.read_text(encoding="utf-8").replace(
            "count = var.zone_count", "count = max(var.zone_count, 2)"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"modules/keys/main.tf: aws_nat_gateway 'this' count"):
        count(scope(tmp_path, {"enable_keys": True}), "aws_nat_gateway")


def test_a_required_variable_without_a_value_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    with pytest.raises(InputError, match=r"var\.enable_keys"):
        count(scope(tmp_path, {}), "aws_kms_key")


BACKUP_TREE = {
    "root/main.tf": """
variable "plan" {
  type = object({
    days       = number
    continuous = optional(bool, false)
  })
  default = null
}
variable "vault" {
  type    = string
  default = ""
}
module "backup" {
  source     = "../modules/backup"
  count      = var.plan == null ? 0 : 1
  days       = var.plan.days
  continuous = var.plan.continuous
  copy_vault = try(coalesce(var.vault), null)
}
""",
    "modules/backup/main.tf": """
variable "days" { type = number }
variable "continuous" { type = bool }
variable "copy_vault" {
  type    = string
  default = null
}
resource "aws_backup_plan" "this" {
  rule {
    rule_name = "daily"
    schedule  = "cron(0 5 * * ? *)"
    lifecycle {
      delete_after = var.days
    }
    dynamic "copy_action" {
      for_each = var.copy_vault == null ? [] : [var.copy_vault]
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = 60
        }
      }
    }
  }
  dynamic "rule" {
    for_each = var.continuous ? [1] : []
    content {
      rule_name                = "pitr"
      schedule                 = "cron(0 17 * * ? *)"
      enable_continuous_backup = true
      lifecycle {
        delete_after = 14
      }
    }
  }
}
resource "aws_backup_selection" "this" {
  name = "the cluster"
}
""",
}
COPY_VAULT = "arn:aws:backup:eu-central-1:111122223333:backup-vault:copy"


def test_backup_rules_follow_optional_attributes_dynamic_blocks_and_the_copy_vault(
    tmp_path: Path,
) -> None:
    write(tmp_path, BACKUP_TREE)

    def rules(**variables: object) -> tuple[BackupRule, ...]:
        return footprint((scope(tmp_path, variables),)).backup_rules

    assert rules() == ()
    # continuous left out: optional(bool, false), as Terraform converts it.
    assert rules(plan={"days": 35}) == (BackupRule(continuous=False, retention_days=35),)
    # An empty GitHub variable is no copy; a vault's ARN is one, to its region.
    assert rules(plan={"days": 35}, vault="") == (BackupRule(False, 35),)
    assert rules(plan={"days": 90, "continuous": True}, vault=COPY_VAULT) == (
        BackupRule(False, 90, copies=(BackupCopy("eu-central-1", 60),)),
        BackupRule(True, 14),
    )


def test_a_plan_without_a_selection_backs_nothing_up(tmp_path: Path) -> None:
    write(tmp_path, BACKUP_TREE)
    module = tmp_path / "modules/backup/main.tf"
    text = module.read_text(encoding="utf-8")
    module.write_text(text[: text.index('resource "aws_backup_selection"')], encoding="utf-8")
    assert footprint((scope(tmp_path, {"plan": {"days": 35}}),)).backup_rules == ()


def counted(root: Path, name: str, deploy: dict[str, str] | None = None) -> Footprint:
    known = catalog_known(discover(root))
    return footprint(read_environment(root, name, TerraformFiles(root), known, deploy).roots)


@pytest.fixture(scope="module")
def real() -> dict[str, Footprint]:
    return {name: counted(REPOSITORY, name) for name in ("dev", "staging", "prod")}


def test_the_repository_counts(real: dict[str, Footprint]) -> None:
    services = len(discover(REPOSITORY))
    endpoints = read_hcl(NETWORK_VARIABLES, "network")
    (services_variable,) = [
        block["interface_endpoint_services"]
        for block in endpoints["variable"]
        if "interface_endpoint_services" in block
    ]
    for name, found in real.items():
        settings = read_environment(
            REPOSITORY, name, TerraformFiles(REPOSITORY), catalog_known(discover(REPOSITORY))
        ).settings
        tfvars = read_hcl(REPOSITORY / f"infra/terraform/envs/{name}/terraform.tfvars", name)
        expected_nat = 1 if tfvars["single_nat_gateway"] else settings.az_count
        assert found.nat_gateways == expected_nat, name
        assert found.elastic_ips == expected_nat, name
        assert found.db_instances == tfvars["db_instance_count"], name
        assert found.interface_endpoints == tuple(sorted(services_variable["default"])), name
        assert found.internet_facing_load_balancers == 1
        assert found.web_acls == (1 if tfvars["enable_waf"] else 0)
        assert found.secrets == 2 * services  # each service's two DATABASE_URLs
        assert found.managed_secrets == 1  # RDS's master user secret
        assert found.kms_keys >= 4  # database, flow logs, ECS Exec, the registry's
        assert found.alarm_metrics >= 2 * services  # a CPU tracking policy per service
        assert found.db_backup_retention_days == tfvars["db_backup_retention_days"], name
        assert found.event_archives == (tfvars["event_archive_retention_days"],), name
        # The account's audit: only in the environment that keeps it (manage_account_audit).
        audits = 1 if tfvars["manage_account_audit"] else 0
        assert found.config_recorders == ("CONTINUOUS",) * audits, name
        # The audit module's rules, deletion protection's only where it is promised.
        rules = found.config_rules_on_change + len(found.config_periodic_rule_hours)
        assert rules == audits * (13 + (1 if tfvars["deletion_protection"] else 0)), name
        assert found.config_periodic_rule_hours == (24, 24) * audits  # the CloudTrail rules
        assert [delivery.retention_days for delivery in found.config_deliveries] == [
            settings.log_retention_days
        ] * audits
        assert [(trail.management_events, trail.retention_days) for trail in found.trails] == [
            (True, settings.log_retention_days)
        ] * audits
        assert found.budgets == 1  # monthly_budget_usd
        assert found.email_subscriptions == 0  # ALARM_EMAIL is the deploy's, not given here
        # Without BACKUP_COPY_VAULT_ARN, no copy anywhere.
        backup = tfvars.get("aws_backup")
        expected_rules = (
            ()
            if backup is None
            else (BackupRule(False, backup["daily_retention_days"]),)
            + (
                (BackupRule(True, tfvars["db_backup_retention_days"]),)
                if backup.get("continuous")
                else ()
            )
        )
        assert found.backup_rules == expected_rules, name
        assert found.sagas == 1  # modules/observability's default, ["order"]
        assert set(found.emf_metrics) == EMF_METRICS


# modules/service/adot-config.yaml.tftpl's declarations (and the observability
# README's metric contract).
EMF_METRICS = {
    EmfMetric("bazaar.outbox.lag", ("service.name",)),
    EmfMetric("bazaar.consumer.lag", ("service.name",)),
    EmfMetric("bazaar.archive.lag", ("service.name",)),
    EmfMetric("bazaar.consumer.messages", ("service.name", "outcome")),
    EmfMetric("bazaar.saga.outcomes", ("saga",)),
    EmfMetric("bazaar.saga.outcomes", ("saga", "outcome")),
    EmfMetric("bazaar.saga.duration", ("saga",)),
    EmfMetric("bazaar.saga.duration", ("saga", "outcome")),
}


def test_every_alarm_metric_is_counted_metric_math_s_each(real: dict[str, Footprint]) -> None:
    entries = discover(REPOSITORY)
    services = len(entries)
    publishers = sum(1 for entry in entries if entry.events.publishes)
    consumers = sum(1 for entry in entries if entry.events.consumes)
    observability = (
        services * (2 + 1 + 1 + 2)  # 5xx share (2 metrics), p99, unhealthy, tasks below (2)
        + publishers  # outbox lag
        + consumers * 3  # consumer lag, DLQ, oldest message
        + 3  # the database's CPU, ACUs, connections
        + 2  # the order saga's step-timeout share (2 metrics)
        + 1  # the event archive's lag (its one writer)
    )
    # Two alarms per tracking policy: CPU per service, backlog (2 metrics) per consumer.
    tracking = 2 * services + 2 * 2 * consumers
    for name, found in real.items():
        assert found.alarm_metrics == observability + tracking, name


def test_the_deploy_variables_give_prod_its_copy_and_the_team_its_e_mail(
    repository: Path,
) -> None:
    prod = counted(
        repository, "prod", {"backup_copy_vault_arn": COPY_VAULT, "alarm_email": "a@example.com"}
    )
    tfvars = read_hcl(repository / "infra/terraform/envs/prod/terraform.tfvars", "prod")
    (daily,) = [rule for rule in prod.backup_rules if not rule.continuous]
    assert daily.copies == (
        BackupCopy("eu-central-1", tfvars["aws_backup"]["copy_retention_days"]),
    )
    assert prod.email_subscriptions == 1
    # staging has a plan too: a copy vault set there copies its snapshots as well.
    staging = counted(repository, "staging", {"backup_copy_vault_arn": COPY_VAULT})
    (daily,) = staging.backup_rules
    assert daily.copies == (BackupCopy("eu-central-1", daily.retention_days),)
    # dev has none to copy.
    assert counted(repository, "dev", {"backup_copy_vault_arn": COPY_VAULT}).backup_rules == ()


def test_waf_off_takes_its_acl_rules_and_key_away(repository: Path) -> None:
    before = counted(repository, "staging")
    tfvars = repository / "infra/terraform/envs/staging/terraform.tfvars"
    text = tfvars.read_text(encoding="utf-8")
    tfvars.write_text(text.replace("enable_waf          = true", "enable_waf = false"))
    after = counted(repository, "staging")
    assert (before.web_acls, after.web_acls) == (1, 0)
    assert before.waf_rules >= 3
    assert after.waf_rules == 0
    assert after.kms_keys == before.kms_keys - 1  # the WAF logs' key


def test_autoscaling_off_takes_the_tracking_alarms_away(repository: Path) -> None:
    entries = discover(repository)
    consumers = sum(1 for entry in entries if entry.events.consumes)
    before = counted(repository, "dev")
    tfvars = repository / "infra/terraform/envs/dev/terraform.tfvars"
    text = tfvars.read_text(encoding="utf-8")
    tfvars.write_text(text.replace("enable_autoscaling  = true", "enable_autoscaling = false"))
    after = counted(repository, "dev")
    # Two alarms per policy: CPU (one metric) per service, backlog (two) per consumer.
    assert before.alarm_metrics - after.alarm_metrics == 2 * len(entries) + 2 * 2 * consumers


ADOT_TEMPLATE = Path("infra/terraform/modules/service/adot-config.yaml.tftpl")


def test_a_dimension_set_added_to_the_collector_is_a_metric_more(repository: Path) -> None:
    template = repository / ADOT_TEMPLATE
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace('- dimensions: [["service.name"]]', '- dimensions: [["service.name"], []]'),
        encoding="utf-8",
    )
    found = set(counted(repository, "dev").emf_metrics)
    assert found - EMF_METRICS == {
        EmfMetric("bazaar.outbox.lag", ()),
        EmfMetric("bazaar.consumer.lag", ()),
        EmfMetric("bazaar.archive.lag", ()),
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # A pattern could match any number of names: not counted, refused.
        ('"^bazaar\\\\.outbox\\\\.lag$"', '"^bazaar\\\\.outbox\\\\..*$"', "not one name"),
        # Without declarations awsemf would send every metric with every label.
        (
            "    metric_declarations:\n",
            "    metrics_declared:\n",
            "declares no metric_declarations",
        ),
        ('- dimensions: [["saga"]', "- dimensions: [[saga]", "not a JSON-style value"),
    ],
)
def test_a_collector_configuration_it_cannot_count_stops_it(
    repository: Path, old: str, new: str, message: str
) -> None:
    template = repository / ADOT_TEMPLATE
    text = template.read_text(encoding="utf-8")
    assert old in text
    template.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        counted(repository, "dev")
