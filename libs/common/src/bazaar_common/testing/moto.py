"""A moto server on loopback standing in for EventBridge, SQS and Cognito.

A real HTTP server in its own process: the code under test talks to it with
its real AWS clients, exactly as it would to AWS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any, NamedTuple

from bazaar_common.testing.ports import free_port

REGION = "eu-west-1"

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


class MotoClients(NamedTuple):
    """aiobotocore clients on a moto server; unpacks as ``events, sqs`` too."""

    events: Any
    sqs: Any


class MotoServer:
    def __init__(self, port: int | None = None) -> None:
        """On ``port`` (to start again where the services look for it), else a free one."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        # When the running server started (UTC): it holds nothing older.
        self.started_at: datetime | None = None

    def start(self, timeout: float = 30.0) -> MotoServer:
        self.started_at = datetime.now(UTC)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **FAKE_CREDENTIALS},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self._process.returncode}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not listen on {self.port} within {timeout} s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()

    @property
    def exit_status(self) -> int | None:
        """None while it runs (or before it starts), else how it ended (-9: SIGKILL)."""
        return None if self._process is None else self._process.poll()

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the moto server was never started")
        return self._process.pid
