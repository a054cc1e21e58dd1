"""make new-service for real: in a copy of the repository, the new service passes every check.

The copy gets the generator's files, a lock and an environment of its own
(uv, offline from its cache), then runs what CI runs over the new service:
its tests, ruff, mypy, and the repository's tests that hold every service
to the catalog.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_repository

pytestmark = pytest.mark.slow

NAME = "loyalty"
SERVICE = f"services/{NAME}"
CONTRACTS = f"libs/contracts/src/bazaar_contracts/{NAME}.py"
# The repository's tests that read every service of the catalog.
CATALOG_TESTS = [
    "tests/test_service_catalog.py",
    "tests/test_compose_file.py",
    "tests/test_event_contracts.py",
    "tests/test_architecture.py",
    "tests/test_message_topology.py",
    # Not the catalog's, but they hold the new service too: it refuses to
    # start without ENVIRONMENT, and each of its tests can fail.
    "tests/test_environment_is_required.py",
    "tests/test_every_test_can_fail.py",
    "libs/contracts/tests",
]


def run(root: Path, *command: str, timeout: float = 600, **variables: str) -> str:
    # The copy's own environment (.venv there), not this test's. Its test
    # databases get names of their own: on a shared server (DATABASE_URL)
    # they must not recreate this session's ("<service>_test_<worker>").
    environment = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")
    }
    environment["PYTEST_XDIST_WORKER"] = "scaffold"
    # The copy's environments serve a few commands each: compiling every
    # installed module (make sync's UV_COMPILE_BYTECODE) costs more than it saves.
    environment["UV_COMPILE_BYTECODE"] = "0"
    done = subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**environment, "UV_OFFLINE": "1", **variables},
    )
    assert done.returncode == 0, (
        f"{' '.join(command)}:\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("new-service") / "repository")
    # The generator runs from this environment, onto the copy: the copy's
    # own environment is made once, with the new service in it.
    generator = [sys.executable, "-m", "bazaar_scaffold", "new", NAME, "--root", str(root)]
    run(root, *generator, "--consumes", "OrderConfirmed")
    run(root, "uv", "lock", "--quiet")
    run(root, "uv", "sync", "--locked", "--all-packages", "--quiet")
    return root


def test_its_own_tests_pass(generated):
    out = run(
        generated, "uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", SERVICE
    )
    assert " passed" in out
    assert "test_consuming.py" in run(
        generated, "uv", "run", "--no-sync", "pytest", "-q", "--collect-only", SERVICE
    )


def test_the_catalog_wide_tests_pass_with_it(generated):
    run(
        generated,
        "uv",
        "run",
        "--no-sync",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *CATALOG_TESTS,
    )


def test_it_is_formatted_linted_and_typed(generated):
    edited = ["libs/contracts/src/bazaar_contracts/__init__.py"]
    run(generated, "uv", "run", "--no-sync", "ruff", "check", SERVICE, CONTRACTS, *edited)
    run(
        generated,
        "uv",
        "run",
        "--no-sync",
        "ruff",
        "format",
        "--check",
        SERVICE,
        CONTRACTS,
        *edited,
    )
    run(generated, "uv", "run", "--no-sync", "mypy", SERVICE, CONTRACTS, *edited)


def test_its_tests_pass_with_only_its_own_dependencies(generated):
    """As CI's job per service runs them (make test-service): an undeclared import fails."""
    alone = str(generated / ".local" / "venvs" / NAME)  # as make test-service keeps it
    run(
        generated,
        "uv", "sync", "--locked", "--package", f"bazaar-{NAME}", "--quiet",
        UV_PROJECT_ENVIRONMENT=alone,
    )  # fmt: skip
    out = run(
        generated, "uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", SERVICE,
        UV_PROJECT_ENVIRONMENT=alone,
    )  # fmt: skip
    assert " passed" in out


def test_it_answers_as_its_openapi_document_says(generated):
    """The contract fuzz every service gets from its catalog entry (tests/contract)."""
    run(
        generated, "uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/contract", "-k", NAME,
    )  # fmt: skip
