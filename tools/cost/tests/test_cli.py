from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bazaar_cost.__main__ import main

from .conftest import REPOSITORY


def run_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main(["--root", str(REPOSITORY), "--format", "json", *arguments]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_repository_dev_staging_prod_cost_more_in_that_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = run_json(capsys)
    assert (document["region"], document["currency"]) == ("eu-west-1", "USD")
    environments = document["environments"]
    assert [environment["name"] for environment in environments] == ["dev", "staging", "prod"]
    dev, staging, prod = environments
    assert 0 < dev["monthly_low"] < staging["monthly_low"] < prod["monthly_low"]
    assert 0 < dev["monthly_high"] < staging["monthly_high"] < prod["monthly_high"]
    for environment in environments:
        assert environment["monthly_low"] <= environment["monthly_high"]
        for item in environment["line_items"]:
            where = f"{environment['name']}: {item['name']}"
            # Positive, or zero with its reason: nothing is zero by accident.
            if item["monthly_high"] > 0:
                assert item["zero_reason"] is None, where
            else:
                assert item["zero_reason"].startswith("none: "), where
            assert 0 <= item["monthly_low"] <= item["monthly_high"], where
            assert item["monthly_high"] == pytest.approx(
                item["quantity_high"] * item["unit_price"], rel=1e-6, abs=1e-6
            ), where
        total = sum(item["monthly_low"] for item in environment["line_items"])
        assert environment["monthly_low"] == pytest.approx(total)


BACKUP_LINES = ("Aurora backup storage", "Backup copies, second region", "Backup copies, transfer")
COPY_LINES = BACKUP_LINES[1:]


def items(environment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in environment["line_items"]}


def test_prod_pays_for_its_copies_and_dev_for_no_backup(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dev, staging, prod = run_json(capsys)["environments"]
    # prod: snapshots past the free 100%, and a copy in a second region, its
    # vault assumed set (a GitHub variable), as the report says.
    for name in BACKUP_LINES:
        assert items(prod)[name]["monthly_low"] > 0, name
    assert "backup_copy_vault_arn" in prod["deploy_variables"]
    # staging: its 35 days of snapshots, no copy.
    assert items(staging)["Aurora backup storage"]["monthly_low"] > 0
    for name in COPY_LINES:
        assert items(staging)[name]["zero_reason"].startswith("none: no copy_action"), name
    # dev: no AWS Backup at all; Aurora's own week of backups within the free 100%.
    for name in BACKUP_LINES:
        assert items(dev)[name]["monthly_high"] == 0, name
        assert "no aws_backup plan" in items(dev)[name]["zero_reason"], name
    assert "backup_copy_vault_arn" not in dev["deploy_variables"]


def test_the_platform_s_operations_are_priced_in_every_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The account's audit (CloudTrail, AWS Config) is prod's alone in the shared account.
    account_audit = (
        "AWS Config configuration items",
        "AWS Config rule evaluations",
        "S3, CloudTrail logs",
        "S3, Config deliveries",
    )
    for environment in run_json(capsys)["environments"]:
        found = items(environment)
        for name in (
            "CloudWatch custom metrics",
            "CloudWatch Logs ingestion, EMF metrics",
            "EventBridge archive processing",
            "EventBridge archive storage",
        ):
            assert found[name]["monthly_low"] > 0, (environment["name"], name)
        for name in account_audit:
            if environment["name"] == "prod":
                assert found[name]["monthly_low"] > 0, name
            else:
                assert found[name]["zero_reason"].startswith("none: "), (environment["name"], name)
        # Free with a reason: the first trail's events, one budget, a few e-mails.
        for name in ("CloudTrail management events", "AWS Budgets", "SNS e-mail notifications"):
            assert found[name]["zero_reason"].startswith("none: "), (environment["name"], name)


def test_dev_s_auto_pause_is_its_low_capacity(capsys: pytest.CaptureFixture[str]) -> None:
    (dev,) = run_json(capsys, "--env", "dev")["environments"]
    capacity = items(dev)["Aurora Serverless v2 capacity"]
    assert capacity["monthly_low"] == 0 < capacity["monthly_high"]
    assert "auto-paused all month" in capacity["basis"]
    assert "pauses after 900 s idle" in capacity["basis"]


def test_one_environment(capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, "--env", "staging")
    (staging,) = document["environments"]
    assert staging["name"] == "staging"
    assert staging["settings"]["min_tasks_per_service"] >= 1
    names = [item["name"] for item in staging["line_items"]]
    for expected in (
        "Fargate vCPU, on-demand",
        "Aurora Serverless v2 capacity",
        "NAT gateways",
        "Interface VPC endpoints",
        "Application Load Balancer",
        "WAF web ACL",
        "CloudWatch Logs storage",
        "CloudWatch alarms",
        "KMS keys",
        "Secrets Manager secrets",
    ):
        assert expected in names


def test_the_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY)]) == 0
    out = capsys.readouterr().out
    for name in ("dev", "staging", "prod"):
        assert f"\n{name}: " in f"\n{out}"
    assert "line item" in out
    assert "monthly low" in out
    assert out.count("total (USD per month)") == 3
    assert "summary (USD per month)" in out
    assert "transcribed by hand, not fetched" in out


def test_one_table_has_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY), "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("prod: ")
    assert "summary" not in out


def test_an_unknown_environment_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY), "--env", "qa"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bazaar-cost: unknown environment 'qa': one of dev, prod, staging" in captured.err


def test_a_malformed_price_table_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shipped_prices: Path
) -> None:
    broken = tmp_path / "prices.toml"
    broken.write_text(
        shipped_prices.read_text(encoding="utf-8").replace("acu_hour = ", "acu_hour = -"),
        encoding="utf-8",
    )
    assert main(["--root", str(REPOSITORY), "--prices", str(broken)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[aurora] acu_hour is -" in captured.err


def test_a_malformed_tfvars_is_exit_2(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tfvars = repository / "infra/terraform/envs/prod/terraform.tfvars"
    tfvars.write_text(tfvars.read_text(encoding="utf-8") + "\naz_count = {\n", encoding="utf-8")
    assert main(["--root", str(repository)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "infra/terraform/envs/prod/terraform.tfvars is not valid HCL" in captured.err


def test_an_environment_without_usage_assumptions_is_exit_2(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    envs = repository / "infra/terraform/envs"
    shutil.copytree(envs / "staging", envs / "qa")
    assert main(["--root", str(repository)]) == 2
    assert "the price table has no [usage.qa]" in capsys.readouterr().err


def test_auto_pause_in_dev_leaves_storage_alone_in_the_low_figure(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tfvars = repository / "infra/terraform/envs/dev/terraform.tfvars"
    text = tfvars.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("db_min_capacity")]
    tfvars.write_text("\n".join([*lines, "db_min_capacity = 0", ""]), encoding="utf-8")
    assert main(["--root", str(repository), "--env", "dev", "--format", "json"]) == 0
    (dev,) = json.loads(capsys.readouterr().out)["environments"]
    aurora = {item["name"]: item for item in dev["line_items"] if item["name"].startswith("Aurora")}
    assert aurora["Aurora Serverless v2 capacity"]["monthly_low"] == 0
    assert aurora["Aurora Serverless v2 capacity"]["monthly_high"] > 0
    assert aurora["Aurora I/O"]["monthly_low"] == 0
    assert aurora["Aurora storage"]["monthly_low"] > 0
