"""A service run as its own process, exactly as in production: ``python -m bazaar_<name>``.

For end-to-end tests and the local runtime: real sockets, real signals, a
real ``kill -9``. Output goes to a log file, whose tail explains a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

READY_PATH = "/readyz"


def answers_200(url: str) -> bool:
    """Whether a GET of ``url`` answers 200 within 2 s (anything else, or nothing: False)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


class ServiceProcess:
    def __init__(self, package: str, *, port: int, env: Mapping[str, str], log_path: Path) -> None:
        self.package = package
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = dict(env)
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def exit_status(self) -> int | None:
        """None while it runs (or before it starts), else how it ended (-9: SIGKILL)."""
        return None if self._process is None else self._process.poll()

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.package} was never started")
        return self._process.pid

    def start(self, overrides: Mapping[str, str] | None = None) -> ServiceProcess:
        if self.running:
            raise RuntimeError(f"{self.package} is already running")
        environment = {**os.environ, **self.env, **(overrides or {}), "PORT": str(self.port)}
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.package} {sorted(overrides or {})}\n".encode())
            self._process = subprocess.Popen(
                [sys.executable, "-m", self.package],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> ServiceProcess:
        """Until ``/readyz`` answers 200; fails early if the process dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"{self.package} exited while starting:\n{self.log_tail()}")
            if answers_200(self.url + READY_PATH):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.package} not ready in {timeout} s:\n{self.log_tail()}")

    def wait_exit(self, timeout: float) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.package} was never started")
        return self._process.wait(timeout=timeout)

    def stop(self, timeout: float = 20.0, *, drain: bool = True) -> int | None:
        """SIGTERM (as ECS stops a task), then SIGKILL after ``timeout``.

        ``drain=False`` sends SIGINT instead: the same graceful stop without
        the drain (``DRAIN_SECONDS``), for a whole system going down at once,
        where no balancer is left to take the process out of.
        """
        if self._process is None or self._process.poll() is not None:
            return None if self._process is None else self._process.returncode
        self._process.send_signal(signal.SIGTERM if drain else signal.SIGINT)
        try:
            return self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return self.kill()

    def kill(self) -> int:
        """``kill -9``: no drain, no shutdown code, as a crash."""
        if self._process is None:
            raise RuntimeError(f"{self.package} was never started")
        if self._process.poll() is None:
            self._process.kill()
        return self._process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
