"""Every Terraform configuration is formatted, initialises offline, validates and passes its tests.

``terraform test`` files run on a mocked provider (``mock_provider "aws"``),
so they need no AWS and no emulator; they assert what each module makes from
its inputs (one repository, target group, rule, queue per catalog service,
least-privilege policies, refused inputs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.terraform.cli import (
    REPOSITORY_ROOT,
    TERRAFORM_ROOT,
    configurations,
    init,
    terraform,
    configurations_with_tests,
)

pytestmark = pytest.mark.slow


def _name(path: Path) -> str:
    return str(path.relative_to(TERRAFORM_ROOT))


def test_every_file_is_formatted():
    terraform(REPOSITORY_ROOT, "fmt", "-check", "-recursive", "-diff", str(TERRAFORM_ROOT))


def test_there_is_a_configuration_for_every_environment():
    environments = sorted(path.name for path in (TERRAFORM_ROOT / "envs").iterdir())
    assert environments == ["dev", "local", "prod", "staging"]


# ``terraform test`` validates its configuration first, so a folder with
# tests is not validated twice (each run loads the provider's whole schema).
@pytest.mark.parametrize(
    "directory", sorted(set(configurations()) - set(configurations_with_tests())), ids=_name
)
def test_the_configuration_validates(directory: Path):
    init(directory)
    terraform(directory, "validate")


@pytest.mark.parametrize("directory", configurations_with_tests(), ids=_name)
def test_the_terraform_tests_pass(directory: Path):
    init(directory)
    done = terraform(directory, "test", timeout=600)
    assert "0 failed" in done.stdout, done.stdout
