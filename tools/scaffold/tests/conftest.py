"""Copies of this repository for the generator to write into: never the repository itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bazaar_common.testing.files import copy_matching

REPOSITORY = Path(__file__).resolve().parents[3]
# What the generator reads and edits; sources are not needed to plan a service.
WIRED = [
    "pyproject.toml",
    "docker-compose.yml",
    "libs/contracts/src/bazaar_contracts/__init__.py",
    "services/*/src/*/service.yaml",
]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes: what "nothing written" compares."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def wired_copy(tmp_path: Path) -> Path:
    """The files the generator reads and edits, at their places under a new root."""
    return copy_matching(REPOSITORY, tmp_path / "repository", WIRED)


def copy_repository(target: Path) -> Path:
    """Every file git knows of (committed or not, unless ignored), copied to ``target``."""
    listed = subprocess.run(
        [
            "git",
            "-C",
            str(REPOSITORY),
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = REPOSITORY / relative
        if source.is_file():  # a deleted file git still lists is not copied
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target
