"""nginx as a child process: found, configuration-tested, started, reloaded and stopped.

nginx runs in the foreground (``daemon off``), so the process we start is
its master: signals go straight to it and its exit is ours to see. Needs
nginx 1.19.5 or newer (for ``-e``, the error log before the config is read).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from pathlib import Path

from bazaar_devstack.gateway.config import RunDirectory

FALLBACK_BINARY = Path("/usr/sbin/nginx")
LOG_TAIL_BYTES = 4_000


class NginxError(RuntimeError):
    pass


def find_nginx() -> str:
    """nginx on PATH, else Debian's /usr/sbin/nginx (often not on a user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    if os.access(FALLBACK_BINARY, os.X_OK):
        return str(FALLBACK_BINARY)
    raise NginxError(
        "nginx is not installed (not on PATH, not at /usr/sbin/nginx): run scripts/bootstrap.sh "
        "as root, or `apt-get install nginx` (`brew install nginx` on macOS)"
    )


class NginxProcess:
    def __init__(self, binary: str, run_directory: RunDirectory) -> None:
        self.binary = binary
        self.run = run_directory
        self._process: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    def _command(self) -> list[str]:
        run = self.run
        return [self.binary, "-p", str(run.root), "-c", str(run.config), "-e", str(run.error_log)]

    def write_config(self, text: str) -> None:
        """Replace the config in one rename, so a reload never reads half a file."""
        self.run.temp.mkdir(parents=True, exist_ok=True)
        partial = self.run.config.with_suffix(".conf.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, self.run.config)

    async def test_config(self) -> None:
        process = await asyncio.create_subprocess_exec(
            *self._command(),
            "-t",
            "-q",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise NginxError(f"nginx refused {self.run.config}:\n{output.decode(errors='replace')}")

    async def start(self, host: str, port: int, ready_within: float) -> None:
        """Start the master and return once it accepts connections on ``host:port``."""
        if self.running:
            raise NginxError("nginx is already running")
        with self.run.output_log.open("ab") as output:
            self._process = await asyncio.create_subprocess_exec(
                *self._command(), stdin=asyncio.subprocess.DEVNULL, stdout=output, stderr=output
            )
        await self._wait_listening(host, port, ready_within)

    async def _wait_listening(self, host: str, port: int, ready_within: float) -> None:
        deadline = asyncio.get_running_loop().time() + ready_within
        while asyncio.get_running_loop().time() < deadline:
            if not self.running:
                raise NginxError(f"nginx exited while starting:\n{self.log_tail()}")
            try:
                _, writer = await asyncio.open_connection(host, port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            await writer.wait_closed()
            return
        await self.stop(grace_seconds=1)
        raise NginxError(f"nginx not listening on {host}:{port} after {ready_within} s")

    async def reload(self, old_workers_within: float = 5.0) -> None:
        """Test the new config, SIGHUP, and return once the old workers are gone.

        Until an old worker has exited it may still accept a connection and
        answer with the old configuration; waiting makes the change visible
        to every client at once when this returns (within the bound).
        """
        await self.test_config()
        old = self._workers()
        self._signal(signal.SIGHUP)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + old_workers_within
        # Polling: nothing signals a grandchild's exit to us.
        while old & self._workers() and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)

    def _workers(self) -> set[int]:
        """The master's live child processes (its workers), read from /proc."""
        if self._process is None:
            return set()
        master, children = self._process.pid, set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            state, parent = fields[0], int(fields[1])
            if parent == master and state != "Z":
                children.add(int(stat.parent.name))
        return children

    async def wait(self) -> int:
        if self._process is None:
            raise NginxError("nginx was never started")
        return await self._process.wait()

    async def stop(self, grace_seconds: float = 10.0) -> int | None:
        """SIGQUIT (finish in-flight requests), then SIGTERM, then SIGKILL."""
        if self._process is None:
            return None
        for signum, wait_seconds in (
            (signal.SIGQUIT, grace_seconds),
            (signal.SIGTERM, 5.0),
            (signal.SIGKILL, 5.0),
        ):
            if not self.running:
                break
            self._signal(signum)
            try:
                await asyncio.wait_for(self._process.wait(), wait_seconds)
            except TimeoutError:
                continue
        return self._process.returncode

    def _signal(self, signum: int) -> None:
        if self._process is None or not self.running:
            raise NginxError("nginx is not running")
        self._process.send_signal(signum)

    def log_tail(self) -> str:
        parts = []
        for path in (self.run.error_log, self.run.output_log):
            if path.exists():
                with path.open("rb") as log:
                    log.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
                    parts.append(f"--- {path}\n" + log.read().decode(errors="replace"))
        return "\n".join(parts) or "(nginx wrote no log)"
