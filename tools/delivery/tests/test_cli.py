from __future__ import annotations

import json
from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_delivery.__main__ import main

from .conftest import Checkout, git

REPOSITORY = Path(__file__).resolve().parents[3]


def test_services_is_the_catalog_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY), "services"]) == 0
    assert json.loads(capsys.readouterr().out) == [entry.name for entry in discover(REPOSITORY)]


def test_changed_and_tags_answer_in_json(
    checkout: Checkout, capsys: pytest.CaptureFixture[str]
) -> None:
    base = git(checkout.root, "rev-parse", "HEAD")
    head = checkout.commit("payments", "services/payments/src/bazaar_payments/x.py")
    assert main(["--root", str(checkout.root), "changed", "--base", base]) == 0
    assert json.loads(capsys.readouterr().out) == ["payments"]
    assert main(["--root", str(checkout.root), "tags"]) == 0
    tags = json.loads(capsys.readouterr().out)
    assert tags["payments"] == head
    assert tags["orders"] == base


def test_build_args_are_key_value_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY), "build-args", "inventory"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "SERVICE=inventory"
    assert lines[1].startswith("SERVICE_PORT=")


def test_an_unknown_service_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPOSITORY), "build-args", "billing"]) == 2
    assert "'billing' is not a service of the catalog" in capsys.readouterr().err


def test_a_directory_outside_git_is_a_clear_error(
    tmp_path: Path, checkout: Checkout, capsys
) -> None:
    # The catalog is there, the history is not: tags cannot be known.
    git_dir = checkout.root / ".git"
    git_dir.rename(tmp_path / "moved-git")
    assert main(["--root", str(checkout.root), "tags"]) == 2
    assert "bazaar-delivery: git" in capsys.readouterr().err
