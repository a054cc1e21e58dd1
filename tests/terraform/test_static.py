"""Every Terraform configuration is formatted, initialises offline, validates and passes its tests.

``terraform test`` files run on a mocked provider (``mock_provider "aws"``),
so they need no AWS and no emulator; they assert what each module makes from
its inputs (one repository, target group, rule, queue per catalog service,
least-privilege policies, refused inputs).
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.terraform.cli import (
    REPOSITORY_ROOT,
    TERRAFORM_ROOT,
    configurations,
    configurations_with_tests,
    expect_success,
    run_terraform,
    terraform,
)

pytestmark = pytest.mark.slow


def _name(path: Path) -> str:
    return str(path.relative_to(TERRAFORM_ROOT))


def test_every_file_is_formatted():
    terraform(REPOSITORY_ROOT, "fmt", "-check", "-recursive", "-diff", str(TERRAFORM_ROOT))


def test_there_is_a_configuration_for_every_environment():
    environments = sorted(
        path.name
        for path in (TERRAFORM_ROOT / "envs").iterdir()
        if path.is_dir() and not path.name.startswith("_")
    )
    assert environments == ["dev", "local", "moto", "prod", "staging"]


# ``terraform test`` validates its configuration first, so a folder with
# tests is not validated twice (each run loads the provider's whole schema).
VALIDATED = sorted(set(configurations()) - set(configurations_with_tests()))
TESTED = configurations_with_tests()
# Each run is one CPU-bound terraform process: as many at once as there are
# cores halves the wall time here.
PARALLEL = max(1, min(4, os.cpu_count() or 1))


def _check(directory: Path) -> subprocess.CompletedProcess[str]:
    step = ("test",) if directory in TESTED else ("validate",)
    return run_terraform(directory, *step, timeout=900)


@pytest.fixture(scope="module")
def checked() -> dict[Path, list[subprocess.CompletedProcess[str]]]:
    """Every configuration initialised, then validated or tested several at a time.

    The inits go one by one: they share the provider plugin cache, which
    Terraform does not promise is safe to fill concurrently.
    """
    folders = [*VALIDATED, *TESTED]
    inits = {
        folder: run_terraform(folder, "init", "-backend=false", "-input=false")
        for folder in folders
    }
    ready = [folder for folder in folders if inits[folder].returncode == 0]
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        checks = dict(zip(ready, pool.map(_check, ready), strict=True))
    return {
        folder: [inits[folder], *([checks[folder]] if folder in checks else [])]
        for folder in folders
    }


@pytest.mark.parametrize("directory", VALIDATED, ids=_name)
def test_the_configuration_validates(directory: Path, checked):
    for done in checked[directory]:
        expect_success(done, directory)
    assert len(checked[directory]) == 2


@pytest.mark.parametrize("directory", TESTED, ids=_name)
def test_the_terraform_tests_pass(directory: Path, checked):
    for done in checked[directory]:
        expect_success(done, directory)
    assert len(checked[directory]) == 2
    assert " 0 failed" in checked[directory][-1].stdout, checked[directory][-1].stdout
