"""database-bootstrap's arguments are checked before any AWS call, each refusal exit 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bazaar_delivery import database_bootstrap
from bazaar_delivery.__main__ import main

SPEC = {
    "cluster": "bazaar-dev",
    "subnet_ids": ["subnet-12345678"],
    "tasks": {
        "orders": {
            "task_definition": "bazaar-dev-orders-database",
            "security_group_ids": ["sg-12345678"],
            "service_name": "bazaar-dev-orders",
        }
    },
}


@pytest.fixture(autouse=True)
def no_aws(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Records the runs that would have reached AWS: the refusals must reach none."""
    reached: list[dict[str, object]] = []

    async def refuse(*arguments: object, **options: object) -> bool:
        reached.append(options)
        return True

    monkeypatch.setattr(database_bootstrap, "bootstrap_on_aws", refuse)
    return reached


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--timeout=0"], "--timeout must be a positive number of seconds, not 0.0"),
        (["--timeout=-5"], "--timeout must be a positive number of seconds"),
        (["--timeout=nan"], "--timeout must be a positive number of seconds, not nan"),
        (["--region="], "--region '' is not an AWS region"),
        (["--region=eu west 1"], "--region 'eu west 1' is not an AWS region"),
        (["--spec=/nonexistent/database_bootstrap.json"], "cannot read the spec /nonexistent/"),
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(
    arguments: list[str],
    message: str,
    no_aws: list[dict[str, object]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    command = ["database-bootstrap", f"--spec={spec}", "--region=eu-west-1", *arguments]
    assert main(command) == 2
    assert message in capsys.readouterr().err
    assert no_aws == []


def test_the_spec_can_come_from_stdin_and_the_defaults_apply(
    no_aws: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SPEC)))
    assert main(["database-bootstrap", "--spec", "-", "--region", "eu-west-1"]) == 0
    (options,) = no_aws
    assert options["region"] == "eu-west-1"
    assert options["endpoint_url"] is None
    assert options["time_limit"] == 900.0
