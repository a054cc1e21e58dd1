"""environment.sh database: Terraform's database_bootstrap output, piped to the delivery tool.

Terraform here is a stand-in on PATH that answers ``output -json
database_bootstrap`` (the real one needs the environment's state); the
delivery tool is the real one, in its own environment as make runs it, and
talks to the session's moto server through AWS_ENDPOINT_URL. moto runs no
container, and the tool's first look at a started task is seconds away, so
what goes through end to end here is what fails fast: a task that cannot
start, a spec the tool refuses, an output Terraform does not have. The
tasks' own runs are tools/delivery's tests (test_database_bootstrap_moto).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from uuid import uuid4

import pytest

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENT = ROOT / "scripts" / "deploy" / "environment.sh"

pytestmark = pytest.mark.slow

FAKE_TERRAFORM = """#!/bin/sh
# terraform as environment.sh database calls it: one output of envs/dev.
echo "$*" >> "$TERRAFORM_CALLS"
if [ "$*" = "-chdir=infra/terraform/envs/dev output -json database_bootstrap" ] \\
    && [ -f "$TERRAFORM_OUTPUT" ]; then
  cat "$TERRAFORM_OUTPUT"
  exit 0
fi
echo 'Error: Output "database_bootstrap" not found' >&2
exit 1
"""


@pytest.fixture
def terraform(tmp_path: Path) -> dict[str, str]:
    """A stand-in terraform first on PATH; what it answers and a log of its calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "terraform"
    fake.write_text(FAKE_TERRAFORM, encoding="utf-8")
    fake.chmod(0o755)
    cli_config = tmp_path / "terraform.tfrc"
    cli_config.write_text("", encoding="utf-8")
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "TERRAFORM_OUTPUT": str(tmp_path / "database_bootstrap.json"),
        "TERRAFORM_CALLS": str(tmp_path / "terraform-calls.log"),
        # One of our own: terraform.sh then writes no mirror configuration.
        "TF_CLI_CONFIG_FILE": str(cli_config),
    }


def output(terraform: dict[str, str], document: object) -> None:
    Path(terraform["TERRAFORM_OUTPUT"]).write_text(json.dumps(document), encoding="utf-8")


def database(env: dict[str, str], environment: str = "dev") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ENVIRONMENT), "database", environment],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=300,
        cwd=ROOT,
    )


def bootstrap_output(cluster: str) -> dict[str, object]:
    return {
        "cluster": cluster,
        "subnet_ids": ["subnet-0a1b2c3d4e5f60718"],
        "tasks": {
            "payments": {
                "task_definition": f"{cluster}-payments-database",
                "security_group_ids": ["sg-0a1b2c3d4e5f60718"],
                "service_name": f"{cluster}-payments",
            }
        },
    }


@pytest.fixture
def aws(moto_server: MotoServer) -> dict[str, str]:
    return {**FAKE_CREDENTIALS, "AWS_REGION": REGION, "AWS_ENDPOINT_URL": moto_server.url}


def test_the_output_reaches_ecs_and_a_task_that_cannot_start_fails_the_step(
    terraform: dict[str, str], aws: dict[str, str]
) -> None:
    cluster = f"t{uuid4().hex[:8]}"  # no such cluster in moto: RunTask answers with an error
    output(terraform, bootstrap_output(cluster))
    result = database({**terraform, **aws})
    assert result.returncode == 1, result.stderr
    assert (
        f"payments: database bootstrap FAILED to start {cluster}-payments-database: "
        "RunTask: ClusterNotFoundException"
    ) in result.stdout
    assert "no service was redeployed" in result.stdout
    assert Path(terraform["TERRAFORM_CALLS"]).read_text(encoding="utf-8").splitlines() == [
        "-chdir=infra/terraform/envs/dev output -json database_bootstrap"
    ]


def test_an_output_the_tool_refuses_is_exit_2_with_its_reason(
    terraform: dict[str, str], aws: dict[str, str]
) -> None:
    broken = bootstrap_output("bazaar-dev")
    broken["subnet_ids"] = ["sg-0a1b2c3d4e5f60718"]
    output(terraform, broken)
    result = database({**terraform, **aws})
    assert result.returncode == 2
    assert "bazaar-delivery: subnet_ids: 'sg-0a1b2c3d4e5f60718' is not a subnet-... id" in (
        result.stderr
    )


def test_a_missing_output_stops_the_step_before_the_tool_runs(
    terraform: dict[str, str], aws: dict[str, str]
) -> None:
    result = database({**terraform, **aws})
    assert result.returncode != 0
    assert 'Output "database_bootstrap" not found' in result.stderr
    assert "bazaar-delivery" not in result.stderr + result.stdout


def test_without_a_region_nothing_is_asked_of_terraform(terraform: dict[str, str]) -> None:
    env = {name: value for name, value in os.environ.items() if name != "AWS_REGION"}
    result = subprocess.run(
        [str(ENVIRONMENT), "database", "staging"],
        capture_output=True,
        text=True,
        check=False,
        env={**env, **terraform},
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "AWS_REGION" in result.stderr
    assert not Path(terraform["TERRAFORM_CALLS"]).exists()


def test_an_unknown_environment_is_refused_for_the_database_step_too(
    terraform: dict[str, str],
) -> None:
    result = database(terraform, environment="qa")
    assert result.returncode == 2
    assert "unknown environment qa" in result.stderr
    assert not Path(terraform["TERRAFORM_CALLS"]).exists()
