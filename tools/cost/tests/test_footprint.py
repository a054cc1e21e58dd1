"""Counting resources through module calls, on a hand-made tree and on the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_cost.configuration import count, root_scope
from bazaar_cost.environment import catalog_known, read_environment
from bazaar_cost.errors import InputError
from bazaar_cost.footprint import Footprint, footprint
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


def counted(root: Path, name: str) -> Footprint:
    known = catalog_known(discover(root))
    return footprint(read_environment(root, name, TerraformFiles(root), known).roots)


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
