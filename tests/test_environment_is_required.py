"""Fail closed: a service nobody told its ENVIRONMENT does not start.

``ENVIRONMENT`` decides whether a service runs its production checks (no
published local password, https keys, no emulator), so it has no default:
not in the settings, and not in the image, where a default would reach
every task that forgot it. Whoever starts a service sets it (compose, the
task definitions, the local runtimes; their own tests hold those).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.testing.ports import free_port

pytestmark = pytest.mark.slow

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
ENTRIES = discover(REPOSITORY_ROOT)
# Every other required setting of every service, so that ENVIRONMENT is the
# one thing missing. Nothing listens at these addresses; nothing is reached.
EVERYTHING_BUT_ENVIRONMENT = {
    "DATABASE_URL": "postgresql+asyncpg://svc:s3cr3t-value@127.0.0.1:1/db",
    "AUTH_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example",
    "AUTH_CLIENT_IDS": "client-a",
    "INVENTORY_URL": "http://127.0.0.1:1",
}
# A Dockerfile instruction with its continuation lines joined.
INSTRUCTION = re.compile(r"^(?P<keyword>[A-Z]+)\s+(?P<arguments>(?:.*\\\n)*.*)$", re.MULTILINE)


def clean_environment(**variables: str) -> dict[str, str]:
    """Nothing leaks in from the shell running the tests (an ENVIRONMENT least of all)."""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**base, "PYTHONUNBUFFERED": "1", "HOST": "127.0.0.1", **variables}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_a_service_without_environment_exits_2_naming_it_and_its_values(entry: ServiceEntry):
    result = subprocess.run(
        [sys.executable, "-m", entry.package],
        env=clean_environment(**EVERYTHING_BUT_ENVIRONMENT, PORT=str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "configuration error: ENVIRONMENT: Field required, one of local, test, dev, staging, prod"
    ]


def environment_variables_set_by(dockerfile: str) -> set[str]:
    """The names every ENV and ARG instruction gives a value or declares."""
    names = set()
    for instruction in INSTRUCTION.finditer(dockerfile):
        if instruction["keyword"] not in ("ENV", "ARG"):
            continue
        arguments = instruction["arguments"].replace("\\\n", " ")
        names |= {word.split("=", 1)[0] for word in arguments.split() if "=" in word}
        if instruction["keyword"] == "ARG":
            names.add(arguments.split()[0].split("=", 1)[0])
    return names


def test_the_image_bakes_in_no_environment():
    names = environment_variables_set_by((REPOSITORY_ROOT / "Dockerfile").read_text())
    assert {"PATH", "PORT", "UV_PROJECT_ENVIRONMENT", "SERVICE"} <= names, names
    assert "ENVIRONMENT" not in names


def test_the_dockerfile_reader_sees_an_environment_default():
    dockerfile = "FROM python\nENV PYTHONUNBUFFERED=1 \\\n    ENVIRONMENT=local\nCMD [x]\n"
    assert "ENVIRONMENT" in environment_variables_set_by(dockerfile)
    assert "ENVIRONMENT" in environment_variables_set_by("ARG ENVIRONMENT\n")
