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
    terraform_test_files,
)
from tests.terraform.shared_provider import configures_the_provider, shared_providers

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
# One ``terraform test`` per file, so that one file configuring the real
# provider does not keep its folder's other files from sharing one.
TEST_FILES = terraform_test_files()
# Each check is one CPU-bound terraform process: as many at once as there
# are cores halves the wall time here.
PARALLEL = max(1, min(4, os.cpu_count() or 1))


def _folder(target: Path) -> Path:
    """The configuration a check runs in: the folder itself, or a test file's."""
    return target if target.is_dir() else target.parent.parent


def _check(target: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if target.is_dir():
        return run_terraform(target, "validate", environment=environment)
    return run_terraform(
        _folder(target),
        "test",
        f"-filter={target.relative_to(_folder(target))}",
        timeout=900,
        environment={} if configures_the_provider(target) else environment,
    )


@pytest.fixture(scope="module")
def checked() -> dict[Path, list[subprocess.CompletedProcess[str]]]:
    """Every configuration initialised, then validated or tested several at a time.

    The inits go one by one: they share the provider plugin cache, which
    Terraform does not promise is safe to fill concurrently. The checks then
    share one running provider (``shared_provider``), not one per run; the
    longest (the largest test files) start first.
    """
    folders = [*VALIDATED, *TESTED]
    inits = {
        folder: run_terraform(folder, "init", "-backend=false", "-input=false")
        for folder in folders
    }
    ready = [folder for folder in folders if inits[folder].returncode == 0]
    targets = [
        *sorted(
            (test for test in TEST_FILES if _folder(test) in ready),
            key=lambda test: -test.stat().st_size,
        ),
        *(folder for folder in ready if folder in VALIDATED),
    ]
    with shared_providers(ready) as environments, ThreadPoolExecutor(PARALLEL) as pool:
        environment_of = [environments[_folder(target)] for target in targets]
        checks = dict(zip(targets, pool.map(_check, targets, environment_of), strict=True))
    return {
        target: [inits[_folder(target)], *([checks[target]] if target in checks else [])]
        for target in [*VALIDATED, *TEST_FILES]
    }


@pytest.mark.parametrize("directory", VALIDATED, ids=_name)
def test_the_configuration_validates(directory: Path, checked):
    for done in checked[directory]:
        expect_success(done, directory)
    assert len(checked[directory]) == 2


@pytest.mark.parametrize("test_file", TEST_FILES, ids=_name)
def test_the_terraform_tests_pass(test_file: Path, checked):
    for done in checked[test_file]:
        expect_success(done, _folder(test_file))
    assert len(checked[test_file]) == 2
    assert " 0 failed" in checked[test_file][-1].stdout, checked[test_file][-1].stdout
