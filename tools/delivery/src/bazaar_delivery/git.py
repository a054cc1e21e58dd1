"""The few git questions delivery asks, answered by the git CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

NULL_COMMIT = "0" * 40


class GitError(RuntimeError):
    pass


def git(root: Path, *arguments: str) -> str:
    # git from PATH, as a developer or runner has it; arguments are ours, no shell.
    completed = subprocess.run(  # noqa: S603
        ["git", "-C", str(root), *arguments],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise GitError(f"git {' '.join(arguments)}: {completed.stderr.strip()}")
    return completed.stdout


def is_commit(root: Path, revision: str) -> bool:
    try:
        git(root, "cat-file", "-e", f"{revision}^{{commit}}")
    except GitError:
        return False
    return True


def changed_paths(root: Path, base: str, head: str) -> list[str]:
    """Paths that differ between two commits (renames count on both sides)."""
    output = git(root, "diff", "--name-only", "--no-renames", base, head, "--")
    return [line for line in output.splitlines() if line]


def newest_commit_touching(root: Path, head: str, paths: list[str]) -> str | None:
    """The newest commit at or before ``head`` that changed any of ``paths``, if one did."""
    if git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        # A shallow clone's oldest commit looks as if it changed everything.
        raise GitError("the clone is shallow: fetch the whole history (fetch-depth: 0)")
    return git(root, "log", "-1", "--format=%H", head, "--", *paths).strip() or None


def last_commit_touching(root: Path, head: str, paths: list[str]) -> str:
    """The newest commit at or before ``head`` that changed any of ``paths``."""
    commit = newest_commit_touching(root, head, paths)
    if not commit:
        raise GitError(f"no commit at {head} touches {', '.join(paths)}")
    return commit
