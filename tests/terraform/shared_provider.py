"""One provider process for many terraform runs, through ``TF_REATTACH_PROVIDERS``.

Every ``terraform validate`` and every ``run`` block of ``terraform test``
starts the AWS provider afresh and asks it for its schema: about a second of
CPU each, for ~300 runs, most of the Terraform checks' time. Terraform can
instead attach to a provider that is already running (its documented
provider-debugging mode): one process per provider binary then serves every
run. That is safe where runs only ever ask the real provider for its schema
and to validate configuration, both stateless: ``validate`` never configures
a provider, nor does a test on ``mock_provider``. A test file that configures
the real provider (a ``provider "aws"`` block) keeps its own processes: a
provider holds its configuration process-wide, and a second configuration
of one process fails.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

REATTACH_LINE = re.compile(r"TF_REATTACH_PROVIDERS='(?P<value>[^']+)'")
REAL_PROVIDER_BLOCK = re.compile(r'^provider\s+"aws"', re.MULTILINE)
START_TIMEOUT_SECONDS = 60.0


def configures_the_provider(test_file: Path) -> bool:
    """Whether a ``terraform test`` file configures the real AWS provider."""
    return REAL_PROVIDER_BLOCK.search(test_file.read_text()) is not None


def provider_binary(folder: Path) -> Path | None:
    """The AWS provider ``terraform init`` installed in a folder, if it needs one."""
    found = sorted(
        (folder / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp" / "aws").glob(
            "*/*/terraform-provider-aws_*"
        )
    )
    return found[-1] if found else None


@contextmanager
def _serving(binary: Path) -> Iterator[str]:
    """Runs the provider in debug mode; yields the value of ``TF_REATTACH_PROVIDERS``."""
    with tempfile.NamedTemporaryFile("w+", prefix="terraform-provider-", suffix=".log") as log:
        process = subprocess.Popen(
            [str(binary), "-debug"], stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            yield _wait_for_reattach_line(process, Path(log.name))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_reattach_line(process: subprocess.Popen[str], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        found = REATTACH_LINE.search(log.read_text())
        if found:
            return found["value"]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"the provider did not start in debug mode:\n{log.read_text()[-2000:]}")


@contextmanager
def shared_providers(folders: Iterable[Path]) -> Iterator[dict[Path, dict[str, str]]]:
    """For each initialised folder, the environment that attaches it to a shared provider.

    One provider process per release (folders locking different versions
    each get theirs); a folder without the AWS provider gets ``{}``. A test
    file that ``configures_the_provider`` must not use it.
    """
    with ExitStack() as stack:
        # Keyed by file name, which carries the version: folders installing
        # the same release from the plugin cache or a mirror share one process.
        by_release: dict[str, str] = {}
        environments: dict[Path, dict[str, str]] = {}
        for folder in folders:
            binary = provider_binary(folder)
            if binary is None:
                environments[folder] = {}
                continue
            if binary.name not in by_release:
                by_release[binary.name] = stack.enter_context(_serving(binary))
            environments[folder] = {"TF_REATTACH_PROVIDERS": by_release[binary.name]}
        yield environments
