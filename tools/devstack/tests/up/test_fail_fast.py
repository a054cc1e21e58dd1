"""`make run` refuses to start, in one line and before starting anything, on a taken port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_common.testing.ports import free_port
from bazaar_devstack.up import StartupError, check_machine

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def repository_root() -> Path:
    return REPOSITORY_ROOT


@pytest.fixture
def listening():
    """A port some other program holds."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", free_port()))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_taken_gateway_port_is_named(repository_root, listening):
    entries = discover(repository_root)
    with pytest.raises(StartupError, match=rf"gateway \({listening}\)"):
        check_machine(repository_root, entries, listening, own_postgres=False)


def test_the_command_exits_2_with_one_line_and_starts_nothing(repository_root, listening, tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "bazaar_devstack.up", f"--root={repository_root}"],
        env={
            **os.environ,
            "GATEWAY_PORT": str(listening),
            "DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:1/x",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert finished.returncode == 2
    assert finished.stderr.strip().startswith("make run: ports taken:")
    assert f"gateway ({listening})" in finished.stderr
    assert "postgres:" not in finished.stdout  # refused before starting anything
