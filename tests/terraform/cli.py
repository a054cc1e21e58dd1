"""Running terraform from tests, through scripts/terraform.sh (it finds a local provider mirror)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_ROOT = REPOSITORY_ROOT / "infra" / "terraform"
WRAPPER = REPOSITORY_ROOT / "scripts" / "terraform.sh"
# Every init, from every test process, takes this lock: they share the
# provider plugin cache, which Terraform does not promise is safe to fill
# concurrently (make test runs the Terraform tests in several processes).
INIT_LOCK = REPOSITORY_ROOT / ".local" / "terraform" / "init.lock"


@contextlib.contextmanager
def _init_lock() -> Iterator[None]:
    INIT_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with INIT_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def require_terraform() -> None:
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not installed: the infrastructure tests need Terraform >= 1.9")


def run_terraform(
    directory: Path,
    *arguments: str,
    timeout: float = 300,
    environment: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``terraform -chdir=DIRECTORY ARGUMENTS``, whatever its exit status.

    ``environment``: variables added to this process's for the run.
    """
    require_terraform()
    with _init_lock() if arguments[:1] == ("init",) else contextlib.nullcontext():
        return subprocess.run(
            [str(WRAPPER), f"-chdir={directory}", *arguments, "-no-color"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **(environment or {})},
        )


def shown(directory: Path) -> Path:
    """The folder as a reader finds it: in the repository, or a test's temporary copy."""
    return (
        directory.relative_to(REPOSITORY_ROOT)
        if directory.is_relative_to(REPOSITORY_ROOT)
        else directory
    )


def expect_success(done: subprocess.CompletedProcess[str], directory: Path) -> None:
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(done.args[1:])} in {shown(directory)} "
            f"exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )


def terraform(
    directory: Path, *arguments: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``terraform -chdir=DIRECTORY ARGUMENTS``; a non-zero exit fails the test, with the output."""
    done = run_terraform(directory, *arguments, timeout=timeout)
    expect_success(done, directory)
    return done


def init(directory: Path) -> None:
    terraform(directory, "init", "-backend=false", "-input=false")


def outputs(directory: Path, state: Path) -> dict[str, Any]:
    printed = terraform(directory, "output", "-json", f"-state={state}").stdout
    return {name: value["value"] for name, value in json.loads(printed).items()}


def configurations() -> list[Path]:
    """Every folder of .tf files: modules, their examples, environments, the state bootstrap."""
    folders = {
        path.parent
        for path in TERRAFORM_ROOT.rglob("*.tf")
        if not {".terraform", "fixtures", "_shared"} & set(path.parts)
    }
    return sorted(folders)


def copy_configuration(source: Path, folder: Path) -> None:
    """A root configuration's files (.tf, .tfvars, lock) copied into ``folder``.

    A copy is initialised and run on its own, never the repository's folder,
    which another test may be initialising. Its local module sources are
    re-pointed relative to the copy: Terraform takes only relative ones.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and (
            path.suffix in {".tf", ".tfvars"} or path.name.startswith(".terraform.lock")
        ):
            text = path.read_text()
            if path.suffix == ".tf":
                modules = os.path.relpath(TERRAFORM_ROOT / "modules", folder)
                text = text.replace('"../../modules/', f'"{modules}/')
            (folder / path.name).write_text(text)


def terraform_test_files() -> list[Path]:
    """Every ``terraform test`` file (tests/*.tftest.hcl of a configuration)."""
    return sorted(TERRAFORM_ROOT.rglob("tests/*.tftest.hcl"))


def configurations_with_tests() -> list[Path]:
    """The folders with ``terraform test`` files."""
    return sorted({path.parent.parent for path in terraform_test_files()})
