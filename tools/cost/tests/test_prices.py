from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_cost.errors import InputError
from bazaar_cost.prices import load_prices

from .conftest import PRICE_TABLE


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_table_says_where_its_prices_come_from(shipped_prices: Path) -> None:
    prices = load_prices(shipped_prices)
    assert (prices.region, prices.currency) == ("eu-west-1", "USD")
    assert prices.as_of
    assert "NOT fetched" in prices.source
    assert "https://aws.amazon.com/fargate/pricing/" in prices.source
    assert list(prices.environments) == ["dev", "staging", "prod"]
    assert prices.usage.hours_per_month == 730
    # Graviton is the cheaper architecture on both dimensions.
    assert prices.fargate.arm64_vcpu_hour < prices.fargate.x86_64_vcpu_hour
    assert prices.fargate.arm64_gb_hour < prices.fargate.x86_64_gb_hour
    for page in ("backup", "config", "cloudtrail", "s3", "eventbridge", "sns"):
        assert f"https://aws.amazon.com/{page}/pricing/" in prices.source
    # prod's copies to a second region are priced: its copy vault is assumed set.
    assert "backup_copy_vault_arn" in prices.deploy_variables["prod"]
    assert "backup_copy_vault_arn" not in prices.deploy_variables.get("dev", {})


def test_every_usage_assumption_carries_its_reason(shipped_prices: Path) -> None:
    # A comment on the line above each key of the [usage] tables, or after it.
    lines = shipped_prices.read_text(encoding="utf-8").splitlines()
    in_usage = False
    for number, text in enumerate(lines):
        if text.startswith("["):
            in_usage = text.startswith("[usage")
        elif in_usage and "=" in text and not text.startswith("#"):
            key = text.split("=")[0].strip()
            explained = "#" in text or lines[number - 1].startswith("#")
            assert explained, f"{key} (line {number + 1}) says nothing of why"


def test_the_test_table_loads(tmp_path: Path) -> None:
    prices = load_prices(write(tmp_path, PRICE_TABLE))
    assert prices.fargate.spot_discount == 0.75
    assert prices.environments["dev"].requests_per_month == 2_000_000
    assert prices.deploy_variables == {"dev": {"alarm_email": "team@example.com"}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('region = "eu-west-1"', 'region = "eu-west-1'), "not valid TOML"),
        (("x86_64_gb_hour = 0.004\n", ""), r"\[fargate\] missing x86_64_gb_hour"),
        (("key_month = 1", "key_month = 1\nkey_months = 2"), r"\[kms\] unknown key_months"),
        (("hour = 0.05", "hour = 0"), "not a price above 0"),
        (("hour = 0.05", 'hour = "0.05"'), "not a number"),
        (("spot_discount = 0.75", "spot_discount = 75"), "a share: 0 to 1"),
        (("nat_gb_per_month = 10", "nat_gb_per_month = -1"), "not 0 or more"),
        (("[usage.dev]", "[usage.dev.extra]"), r"\[usage.dev\] missing"),
        (("[secrets_manager]\nsecret_month = 0.4\n", ""), r"no \[secrets_manager\] table"),
        (('as_of = "2026-01-01"', 'as_of = ""'), "as_of must be a non-empty string"),
        (("[kms]", "[kms_keys]\nkey_month = 1\n[kms]"), "unknown table or key kms_keys"),
        (("db_daily_change_share = 0.01", "db_daily_change_share = 2"), "a share: 0 to 1"),
        (("[deploy_variables.dev]", "[deploy_variables.qa]"), r"has no \[usage.qa\]"),
        (('alarm_email = "team@example.com"', "alarm_email = 1"), "not a string"),
        (("free_budgets = 2", "free_budgets = 0"), "not a price above 0"),
    ],
)
def test_a_malformed_table_is_an_error_naming_the_problem(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in PRICE_TABLE
    with pytest.raises(InputError, match=message):
        load_prices(write(tmp_path, PRICE_TABLE.replace(old, new, 1)))


def test_a_missing_table_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the price table"):
        load_prices(tmp_path / "nowhere.toml")
