"""A small git repository shaped like this one: the real manifests and catalog files."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bazaar_common.testing.files import copy_matching

REPOSITORY = Path(__file__).resolve().parents[3]
# What the workspace and the catalog are read from; sources are not needed.
COPIED = [
    "pyproject.toml",
    "uv.lock",
    "Dockerfile",
    ".dockerignore",
    "libs/*/pyproject.toml",
    "services/*/pyproject.toml",
    "services/*/src/*/service.yaml",
    "tools/*/pyproject.toml",
]


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True
    ).stdout.strip()


class Checkout:
    def __init__(self, root: Path) -> None:
        self.root = root

    def commit(self, message: str, *changes: str) -> str:
        """Appends a line to each changed path (making it if new), commits, returns the sha."""
        for change in changes:
            path = self.root / change
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as file:
                file.write(f"# {message}\n")
        git(self.root, "add", "--all")
        git(self.root, "commit", "--quiet", "--message", message)
        return git(self.root, "rev-parse", "HEAD")


@pytest.fixture
def checkout(tmp_path: Path) -> Checkout:
    root = tmp_path / "repo"
    copy_matching(REPOSITORY, root, COPIED)
    git(root.parent, "init", "--quiet", "--initial-branch=main", str(root))
    git(root, "config", "user.email", "ci@example.com")
    git(root, "config", "user.name", "CI")
    made = Checkout(root)
    made.commit("the repository")
    return made


@pytest.fixture
def touch(checkout: Checkout) -> Callable[..., str]:
    return checkout.commit
