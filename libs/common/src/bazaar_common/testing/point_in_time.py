"""Point-in-time recovery of a test's own Postgres server: WAL archive, base backup, restore.

What an operator does after a bad change at a known moment, on a private
server (``PostgresServer``) that archives its WAL::

    pitr = PointInTime.new()  # its settings: wal_level, archive_mode, archive_command
    pitr.start()
    await pitr.base_backup()  # pg_basebackup, before the work to be rewound
    ...  # work; the moment; more work, so a commit after the moment exists
    await pitr.archive_current_wal()  # pg_switch_wal(), until the archive has the segment
    await pitr.restore_to(moment)  # a new data dir: backup + archived WAL up to the moment

The restored server runs on the same port as before (same URLs for whatever
connects to it) from a new data directory; the old one is kept, stopped, for
a look afterwards. Every database of the server goes back to the same moment:
one cluster, one WAL, so the restored databases are consistent with each other.

Since PostgreSQL 13 a recovery that runs out of WAL before its target fails
(FATAL "recovery ended before configured recovery target was reached") rather
than promoting wherever it stopped. Recovery to a time stops at the first
commit after it, so the archive must hold a commit later than the moment:
work goes on after the moment, then ``archive_current_wal()`` closes the
segment in use and waits until the archiver has copied it.
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bazaar_common.testing.postgres import PostgresServer, find_binary
from bazaar_common.testing.waiting import wait_until

# 1 MiB WAL segments (initdb's smallest) instead of 16: archive_timeout closes
# a segment every few seconds under load, and each one is copied whole.
INITDB_OPTIONS = ("--wal-segsize=1",)


def archiving_settings(archive_dir: Path, *, archive_timeout_seconds: int = 1) -> dict[str, str]:
    """Server settings that copy every finished WAL segment into ``archive_dir``.

    The copy is written under a temporary name and renamed, so a file in the
    archive is always whole; an existing file is never overwritten (the
    command then fails and the archiver retries, as PostgreSQL's docs advise).
    ``archive_timeout`` closes a segment at least that often when there were
    writes: the most that a lost server could take with it.
    """
    folder = shlex.quote(str(archive_dir))
    return {
        "wal_level": "replica",
        "archive_mode": "on",
        "archive_command": (
            f"test ! -f {folder}/%f && cp %p {folder}/%f.part && mv {folder}/%f.part {folder}/%f"
        ),
        "archive_timeout": f"{archive_timeout_seconds}s",
        # SERVER_OPTIONS switch it off for speed; a base backup and WAL that
        # is replayed onto it are what it is for.
        "full_page_writes": "on",
    }


def _tool(name: str) -> str:
    """A client program of the same installation as the server (not a version wrapper)."""
    beside_server = Path(find_binary("pg_ctl")).resolve().parent / name
    return str(beside_server) if beside_server.exists() else find_binary(name)


def _conf_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PointInTime:
    """A ``PostgresServer`` archiving its WAL, a base backup of it, and restores to a moment."""

    def __init__(self, server: PostgresServer, archive_dir: Path) -> None:
        self.server = server
        self.archive_dir = archive_dir
        self.backup_dir: Path | None = None
        self.restores = 0

    @classmethod
    def new(
        cls,
        base_dir: Path | None = None,
        *,
        port: int | None = None,
        archive_timeout_seconds: int = 1,
    ) -> PointInTime:
        """A server of its own (not started), archiving into ``<base_dir>/wal-archive``."""
        base = base_dir or Path(tempfile.mkdtemp(prefix="bazaar-pitr-"))
        archive = base / "wal-archive"
        server = PostgresServer(
            base,
            port=port,
            settings=archiving_settings(archive, archive_timeout_seconds=archive_timeout_seconds),
            initdb_options=INITDB_OPTIONS,
        )
        return cls(server, archive)

    def start(self) -> None:
        """initdb if needed, the archive folder (the server's user writes it), start."""
        self.server.initialise()
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self._give_to_server(self.archive_dir)
        self.server.start()

    async def base_backup(self) -> Path:
        """``pg_basebackup`` of the running server (plain format, with its WAL); its folder."""
        target = self.server.base_dir / "base-backup"
        if target.exists():
            raise RuntimeError(f"{target} exists: one base backup per PointInTime")
        await self._as_server(
            _tool("pg_basebackup"),
            "--pgdata", str(target),
            "--host", str(self.server.socket_dir),
            "--port", str(self.server.port),
            "--username", "postgres",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        )  # fmt: skip
        self.backup_dir = target
        return target

    async def archive_current_wal(self, within: float = 30.0) -> str:
        """Close the WAL segment in use (``pg_switch_wal()``) and wait until it is archived.

        Returns the segment's file name. Everything written before the call
        is then in the archive, so a restore can reach any moment before it.
        """
        connection = await asyncpg.connect(self.server.socket_dsn)
        try:
            segment = str(await connection.fetchval("SELECT pg_walfile_name(pg_switch_wal())"))
            try:
                await wait_until((self.archive_dir / segment).exists, within=within, interval=0.05)
            except TimeoutError:
                archiver = await connection.fetchrow("SELECT * FROM pg_stat_archiver")
                raise RuntimeError(
                    f"WAL segment {segment} not archived within {within} s: {dict(archiver or {})}"
                ) from None
        finally:
            await connection.close()
        return segment

    async def restore_to(self, moment: datetime, within: float = 120.0) -> Path:
        """Stop the server, restore the base backup and its archived WAL up to ``moment``.

        The new data directory recovers with ``recovery_target_time`` (commits
        at or before ``moment`` are kept, later ones are not), then promotes
        (a new timeline) and accepts writes; this returns once
        ``pg_is_in_recovery()`` is false. Returns the new data directory.
        """
        if moment.tzinfo is None:
            raise ValueError("the moment must be timezone-aware")
        if self.backup_dir is None:
            raise RuntimeError("no base backup to restore: base_backup() first")
        if self.server.is_running():
            await asyncio.to_thread(self.server.stop)
        self.restores += 1
        target = self.server.base_dir / f"data-restored-{self.restores}"
        await self._as_server("cp", "-a", str(self.backup_dir), str(target))
        recovery = {
            "restore_command": f"cp {shlex.quote(str(self.archive_dir))}/%f %p",
            "recovery_target_time": moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00"),
            "recovery_target_action": "promote",
        }
        with (target / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.write("# restore_to() of bazaar_common.testing.point_in_time\n")
            for name, value in recovery.items():
                conf.write(f"{name} = {_conf_quoted(value)}\n")
        (target / "recovery.signal").touch()
        self._give_to_server(target / "recovery.signal")
        self.server.data_dir = target
        await asyncio.to_thread(self.server.start)
        await self._until_promoted(within)
        return target

    async def _until_promoted(self, within: float) -> None:
        async def promoted() -> bool:
            if not await asyncio.to_thread(self.server.is_running):
                raise RuntimeError(f"the server stopped while recovering:\n{self._log()}")
            try:
                connection = await asyncpg.connect(self.server.socket_dsn)
            except (OSError, asyncpg.PostgresError):
                return False  # not accepting connections yet
            try:
                return not await connection.fetchval("SELECT pg_is_in_recovery()")
            finally:
                await connection.close()

        try:
            await wait_until(promoted, within=within, interval=0.1)
        except TimeoutError:
            raise RuntimeError(f"still recovering after {within} s:\n{self._log()}") from None

    def _log(self) -> str:
        log = self.server.log_file
        return log.read_text(errors="replace")[-3000:] if log.exists() else "(no server log)"

    def _give_to_server(self, path: Path) -> None:
        if self.server.user is not None:
            shutil.chown(path, self.server.user)

    async def _as_server(self, *args: str) -> None:
        """A program run as the server's user (root may not own a data directory)."""
        result = await asyncio.to_thread(
            subprocess.run, args, user=self.server.user, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()}"
            )
