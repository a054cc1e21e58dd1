"""make run keeps the system up when a service dies, as ECS replaces a failed task.

``python -m bazaar_devstack.up`` (what ``make run`` starts), on the catalog's
ports with the suite's Postgres: a ``kill -9`` of one service is answered on
the terminal with a restart after a delay, the service serves again on its
port, and the others never stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from bazaar_common.catalog import discover
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer
from bazaar_common.testing.service_process import answers_200

START_LIMIT_SECONDS = 180
RESTART_LIMIT_SECONDS = 60
VICTIM = "payments"


class Terminal:
    """make run's output, read as it comes, so a test can wait for a line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, starting: str, within: float) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = next((line for line in self.lines if line.startswith(starting)), None)
            if found is not None:
                return found
            time.sleep(0.2)
        raise AssertionError(
            f"no line starting {starting!r} in {within} s:\n" + "\n".join(self.lines)
        )


def children_running(parent: int, module: str) -> list[int]:
    """Pids of ``parent``'s children whose command line is ``python -m <module>``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")
        )
        if ppid == parent and module.encode() in command:
            found.append(int(entry.name))
    return found


def ready(port: int) -> bool:
    return answers_200(f"http://127.0.0.1:{port}/readyz")


@pytest.fixture
def make_run(
    postgres: PostgresServer, repository_root: Path
) -> Iterator[tuple[subprocess.Popen[str], Terminal]]:
    environment = {
        **os.environ,
        "DATABASE_URL": postgres.url("postgres"),
        "GATEWAY_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bazaar_devstack.up", f"--root={repository_root}"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    terminal = Terminal(process)
    try:
        yield process, terminal
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_killed_service_is_restarted_and_the_rest_keep_running(make_run, repository_root):
    process, terminal = make_run
    terminal.wait_for("logs in ", START_LIMIT_SECONDS)
    ports = {entry.name: entry.port for entry in discover(repository_root)}
    module = f"bazaar_{VICTIM}"
    [victim] = children_running(process.pid, module)
    others = {
        name: children_running(process.pid, f"bazaar_{name}") for name in ports if name != VICTIM
    }

    os.kill(victim, signal.SIGKILL)
    exited = terminal.wait_for(f"{VICTIM}: exited", 10)
    restarted = terminal.wait_for(f"{VICTIM}: restarted", RESTART_LIMIT_SECONDS)

    assert exited == f"{VICTIM}: exited (killed by signal 9); restarting in 1 s"
    assert restarted == f"{VICTIM}: restarted (restart 1), serving again"
    assert ready(ports[VICTIM])
    [again] = children_running(process.pid, module)
    assert again != victim
    assert {name: children_running(process.pid, f"bazaar_{name}") for name in others} == others
    assert all(ready(ports[name]) for name in others)
    assert process.poll() is None, "make run kept running"

    # Two requests to stop at once, as `uv run` forwarding make's SIGTERM
    # sends: the second must not cut the clean-up the first started.
    process.send_signal(signal.SIGTERM)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    terminal.wait_for("stopping", 5)
    assert not any(ready(port) for port in ports.values()), "every service stopped"
