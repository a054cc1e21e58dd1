"""Every root configuration commits a provider lock file that its constraints allow.

A root configuration (an environment under ``envs/``, the state bootstrap, an
environment's image registry) is
what someone runs ``terraform init`` and ``apply`` in, so its lock file decides
which provider build touches real infrastructure: it is committed (``make
providers-lock`` writes it, ADR 0009). A module's lock is made by ``terraform
test`` for itself and stays ignored. Read from the files alone: no terraform,
no provider download.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from tests.terraform.cli import REPOSITORY_ROOT, TERRAFORM_ROOT, configurations

LOCK = ".terraform.lock.hcl"
DEFAULT_REGISTRY = "registry.terraform.io"


def root_configurations() -> list[Path]:
    environments = [
        path
        for path in (TERRAFORM_ROOT / "envs").iterdir()
        if path.is_dir() and not path.name.startswith("_") and any(path.glob("*.tf"))
    ]
    return sorted([*environments, TERRAFORM_ROOT / "bootstrap", TERRAFORM_ROOT / "registry"])


def _name(path: Path) -> str:
    return str(path.relative_to(TERRAFORM_ROOT))


def _body(text: str, start: int) -> str:
    """What lies between an opening brace just before ``start`` and its closing brace."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    raise AssertionError(f"unbalanced braces after {text[max(0, start - 40) : start]!r}")


def _block_bodies(text: str, keyword: str) -> list[str]:
    """The bodies of every ``keyword { ... }`` block."""
    return [_body(text, match.end()) for match in re.finditer(rf"\b{keyword}\s*\{{", text)]


def _without_comments(text: str) -> str:
    return re.sub(r"(#|//)[^\n]*", "", text)


def required_providers(folder: Path) -> dict[str, set[str]]:
    """Provider address -> version constraints, of a folder and the local modules it calls."""
    required: dict[str, set[str]] = {}
    seen: set[Path] = set()
    pending = [folder.resolve()]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for file in sorted(current.glob("*.tf")):
            text = _without_comments(file.read_text(encoding="utf-8"))
            for body in _block_bodies(text, "required_providers"):
                for entry in re.finditer(r"\{([^{}]*)\}", body):
                    source = re.search(r'\bsource\s*=\s*"([^"]+)"', entry.group(1))
                    version = re.search(r'\bversion\s*=\s*"([^"]+)"', entry.group(1))
                    if source:
                        address = source.group(1).lower()
                        if address.count("/") == 1:
                            address = f"{DEFAULT_REGISTRY}/{address}"
                        required.setdefault(address, set())
                        if version:
                            required[address].add(version.group(1))
            pending += [
                (current / local).resolve()
                for local in re.findall(r'\bsource\s*=\s*"(\.{1,2}/[^"]+)"', text)
            ]
    return required


def locked_providers(lock: Path) -> dict[str, tuple[str, list[str]]]:
    """Provider address -> (version, hashes) from a lock file."""
    text = lock.read_text(encoding="utf-8")
    locked = {}
    for match in re.finditer(r'provider\s+"([^"]+)"\s*\{', text):
        body = _body(text, match.end())
        version = re.search(r'\bversion\s*=\s*"([^"]+)"', body)
        hashes = re.findall(r'"((?:h1|zh):[^"]+)"', body)
        assert version, f"{lock}: provider {match.group(1)} has no version"
        locked[match.group(1)] = (version.group(1), hashes)
    return locked


def _version(text: str) -> tuple[int, ...]:
    parts = [int(part) for part in text.strip().split("-")[0].split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def allows(constraint: str, version: str) -> bool:
    """Whether a Terraform version constraint (``~> 5.100``, ``>= 1.2, < 2``) allows a version."""
    actual = _version(version)
    for part in constraint.split(","):
        match = re.fullmatch(r"\s*(~>|>=|<=|!=|>|<|=)?\s*([0-9][0-9.]*)\s*", part)
        assert match, f"not a version constraint: {constraint!r}"
        operator, bound_text = match.group(1) or "=", match.group(2)
        bound = _version(bound_text)
        if operator == "~>":
            # The rightmost given component may grow; those left of it may not.
            given = len(bound_text.split("."))
            prefix = max(given - 1, 1)
            ok = actual >= bound and actual[:prefix] == bound[:prefix]
        else:
            ok = {
                "=": actual == bound,
                "!=": actual != bound,
                ">": actual > bound,
                ">=": actual >= bound,
                "<": actual < bound,
                "<=": actual <= bound,
            }[operator]
        if not ok:
            return False
    return True


@pytest.mark.parametrize(
    ("constraint", "version", "allowed"),
    [
        ("~> 5.100", "5.100.0", True),
        ("~> 5.100", "5.140.2", True),
        ("~> 5.100", "5.99.0", False),
        ("~> 5.100", "6.0.0", False),
        ("~> 5.100.1", "5.100.4", True),
        ("~> 5.100.1", "5.101.0", False),
        (">= 5.0, < 6.0", "5.100.0", True),
        (">= 5.0, < 6.0", "6.0.0", False),
        ("5.100.0", "5.100.0", True),
        ("!= 5.100.0", "5.100.0", False),
    ],
)
def test_the_constraint_reading_is_terraforms(constraint: str, version: str, allowed: bool) -> None:
    assert allows(constraint, version) is allowed


def test_the_root_configurations_are_the_environments_and_the_bootstrap() -> None:
    names = [_name(path) for path in root_configurations()]
    assert "bootstrap" in names
    assert {"envs/dev", "envs/staging", "envs/prod"} <= set(names)


@pytest.mark.parametrize("root", root_configurations(), ids=_name)
def test_a_root_configuration_commits_a_lock_its_constraints_allow(root: Path) -> None:
    lock = root / LOCK
    assert lock.is_file(), f"{_name(root)} has no {LOCK}: run make providers-lock"
    required = required_providers(root)
    assert f"{DEFAULT_REGISTRY}/hashicorp/aws" in required, f"{_name(root)} requires no aws"
    locked = locked_providers(lock)
    for address, constraints in required.items():
        assert address in locked, f"{_name(root)}/{LOCK} does not lock {address}"
        version, hashes = locked[address]
        assert hashes, f"{_name(root)}/{LOCK}: {address} {version} has no checksum"
        refused = sorted(c for c in constraints if not allows(c, version))
        assert not refused, f"{_name(root)}/{LOCK}: {address} {version} is outside {refused}"


def _ignored(path: Path) -> bool:
    """Whether .gitignore keeps the path out of commits (whatever is in the index)."""
    done = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", str(path.relative_to(REPOSITORY_ROOT))],
        cwd=REPOSITORY_ROOT,
        check=False,
    )
    assert done.returncode in (0, 1), f"git check-ignore failed for {path}"
    return done.returncode == 0


def test_root_locks_are_committed_and_module_locks_are_not() -> None:
    roots = root_configurations()
    assert not [_name(root) for root in roots if _ignored(root / LOCK)], ".gitignore hides them"
    modules = [folder for folder in configurations() if folder not in roots]
    assert modules
    assert not [_name(folder) for folder in modules if not _ignored(folder / LOCK)], (
        "a module's lock file would be committed"
    )
