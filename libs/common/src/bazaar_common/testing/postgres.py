"""A private PostgreSQL server for a test session, from the binaries on this machine.

Postgres refuses to run as root, so when the tests run as root the server
runs as the ``postgres`` system user (or ``nobody``). Durability is switched
off: the data is thrown away with the test session. ``settings`` adds server
settings on top (WAL archiving, ``testing.point_in_time``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import asyncpg

from bazaar_common.testing.ports import free_port

SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB"
)


class PostgresNotFound(RuntimeError):
    pass


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise PostgresNotFound(
        f"{name} not found: install PostgreSQL (apt-get install postgresql) or set DATABASE_URL"
    )


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresNotFound("running as root and no postgres or nobody user to run the server")


class PostgresServer:
    """A throwaway server: ``start()``, ``stop()`` and ``start()`` again keep the data.

    ``data_dir`` may be pointed at another data directory while the server is
    stopped (a restored one): it then starts from that, on the same port.
    """

    def __init__(
        self,
        base_dir: Path | None = None,
        port: int | None = None,
        host_auth: str = "trust",
        *,
        settings: Mapping[str, str] | None = None,
        initdb_options: Sequence[str] = (),
    ) -> None:
        """``host_auth``: how TCP clients sign in (``scram-sha-256`` to check passwords).

        The superuser always signs in over the Unix socket without one
        (``socket_dsn``). ``settings``: server settings given at every start,
        after (so over) ``SERVER_OPTIONS``; ``initdb_options``: extra options
        of ``initdb`` (``--wal-segsize=1``).
        """
        self.host_auth = host_auth
        self.settings = dict(settings or {})
        self.initdb_options = tuple(initdb_options)
        self.base_dir = base_dir or Path(tempfile.mkdtemp(prefix="bazaar-pg-"))
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir / "socket"
        self.log_file = self.base_dir / "server.log"
        self.port = port or free_port()
        self.user = _server_user()

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def socket_dsn(self) -> str:
        """The superuser over the Unix socket, which trusts it whatever ``host_auth`` is."""
        return f"postgresql://postgres@/postgres?host={self.socket_dir}&port={self.port}"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        result = subprocess.run(args, user=self.user, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log_file.read_text() if self.log_file.exists() else ""
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip()}\n{log[-2000:]}"
            )

    def initialise(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            shutil.chown(self.base_dir, self.user)
            shutil.chown(self.socket_dir, self.user)
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                find_binary("initdb"),
                "-D", str(self.data_dir),
                "-U", "postgres",
                "--auth-local=trust",
                f"--auth-host={self.host_auth}",
                "--encoding=UTF8",
                "--no-sync",
                *self.initdb_options,
            )  # fmt: skip

    def start(self) -> None:
        # pg_ctl hands the options to a shell: each setting is quoted as one word.
        extra = "".join(
            f" -c {shlex.quote(f'{name}={value}')}" for name, value in self.settings.items()
        )
        self._run(
            find_binary("pg_ctl"),
            "-D", str(self.data_dir),
            "-l", str(self.log_file),
            "-o", f"-p {self.port} -k {self.socket_dir} {SERVER_OPTIONS}{extra}",
            "-w", "-t", "60",
            "start",
        )  # fmt: skip

    def is_running(self) -> bool:
        status = subprocess.run(
            [find_binary("pg_ctl"), "-D", str(self.data_dir), "status"],
            user=self.user,
            capture_output=True,
            check=False,
        )
        return status.returncode == 0

    def stop(self) -> None:
        self._run(find_binary("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.base_dir, ignore_errors=True)


async def recreate_database(admin_dsn: str, name: str) -> None:
    """Drop (if present) and create a database, for a clean test session."""
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
