"""The event log at scale (``make bench-scale``): audit's reads as its ``events`` table grows.

One PostgreSQL and audit's database, migrated by the audit service itself.
The log grows in steps (``sizes``; each step copies in the difference,
``bazaar_bench.log_writer``), each followed by ``VACUUM (ANALYZE)``, which
brings the table to the state autovacuum keeps it in (statistics, visibility
map, hint bits), so no vacuum of the new rows starts in the middle of a
measurement. Each size but the last is kept as a copy (``CREATE DATABASE
... TEMPLATE``), so that every size can be measured side by side at the end,
round by round: on a shared machine a busy minute then falls on every size
alike, not on one.

Then one audit service per size, each a process of its own started as
``make bench`` starts services (``Stack.environment``: the production
runtime, one uvicorn worker, tracing at one in ten, a real Cognito token
from moto), consumers off. CPU 0 is theirs; wrk, PostgreSQL and the rest
share the others. The reads (``audit_queries``) are measured interleaved
over every size; then each measurement in ``MEASUREMENTS`` gets each size
(``LogAtSize``) in turn.

``MEASUREMENTS`` is the place for another figure of the log at size N (the
archive writer's throughput): an ``async def`` taking a ``LogAtSize`` and
returning a JSON-able dict, added under a name; its figures land in
``scale.json`` at each size, and the report lists them under the sizes'
table. Each size's database is its own (the largest is the one grown), so a
measurement may write to it; it should leave ``events`` as it found it, or
say so, since the sizes are then no longer what the table shows.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bazaar_bench import archive_writer, audit_queries, procstat
from bazaar_bench.log_writer import LogWriter
from bazaar_bench.system import PRODUCTION_RUNTIME, QUIET, pin, split_cpus
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer, recreate_database
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack.cognito import access_token
from bazaar_devstack.stack import Stack

SIZES = (10_000, 1_000_000, 10_000_000)
GROWN = "scale_log"  # the database the log grows in; each smaller size is copied from it
ADMIN = "ada"  # a demo admin of the stack's pool: audit's routes are for admins
# A quarter of a 4 GB database instance's memory; the table outgrows it past
# 10^6 events, and reads then come from the OS's page cache or the disk.
# Checkpoints far apart: the load writes gigabytes of WAL.
SERVER_SETTINGS = {
    "shared_buffers": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    # The time of each read from outside shared_buffers, in EXPLAIN (in_the_database).
    "track_io_timing": "on",
}


@dataclass(frozen=True)
class LogAtSize:
    """The event log at one size, as each measurement gets it."""

    events: int
    """Rows in ``events``."""
    dsn: str
    """This size's database (asyncpg form, a superuser)."""
    audit_url: str
    """The audit service serving this size's database."""
    audit_pid: int
    postgres_pid: int
    """The postmaster: the database's CPU time is its process tree's."""
    token: str
    """An admin's access token."""
    moto_url: str
    load_cpus: str | None
    """Where a load generator runs (taskset), None when nothing is pinned."""
    work: Path
    """A scratch folder of the run."""
    rounds: int
    seconds: float
    connections: int


Measurement = Callable[[LogAtSize], Awaitable[dict[str, Any]]]


async def table_size(log: LogAtSize) -> dict[str, int]:
    """``events`` with its TOAST and indexes, in bytes."""
    connection = await asyncpg.connect(log.dsn)
    try:
        sizes = await connection.fetchrow(
            "SELECT pg_total_relation_size('events'), pg_indexes_size('events')"
        )
    finally:
        await connection.close()
    assert sizes is not None, "a SELECT without FROM has its row"
    total, indexes = sizes
    return {"table_bytes": total - indexes, "index_bytes": indexes, "total_bytes": total}


MEASUREMENTS: dict[str, Measurement] = {
    "table": table_size,
    "database": audit_queries.in_the_database,
    "archive_writer": archive_writer.measure,
}


def _postmaster_pid(postgres: PostgresServer) -> int:
    return int((postgres.data_dir / "postmaster.pid").read_text().split()[0])


def _dsn(postgres: PostgresServer, database: str) -> str:
    return f"{postgres.admin_dsn.rpartition('/')[0]}/{database}"


def _place(audits: list[ServiceProcess], postmaster: int, cpus: tuple[str, str] | None) -> None:
    """The audit services onto the measured CPU, PostgreSQL with the rest (as make bench)."""
    if cpus is None:
        return
    measured, others = cpus
    for audit in audits:
        pin(audit.pid, measured)
    for pid in procstat.tree_pids(postmaster):
        try:
            pin(pid, others)
        except subprocess.CalledProcessError:  # a backend that ended since the listing
            continue


class _Audits:
    """audit services as make bench starts them, each on a database of its own."""

    def __init__(self, stack: Stack, postgres: PostgresServer, exit_stack: AsyncExitStack) -> None:
        self.stack, self.postgres, self.exit_stack = stack, postgres, exit_stack

    async def start(self, database: str) -> ServiceProcess:
        entry = self.stack.entries["audit"]
        audit = ServiceProcess(
            entry.package,
            port=free_port(),
            env={**self.stack.environment(entry), "DATABASE_URL": self.postgres.url(database)},
            log_path=self.stack.logs / f"audit-{database}.log",
        ).start()
        self.exit_stack.callback(audit.stop, drain=False)
        await asyncio.to_thread(audit.wait_ready)  # its migrations ran
        return audit


async def _grow(
    postgres: PostgresServer, sizes: tuple[int, ...]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The log grown to each size, each size but the last kept as a copy; their databases."""
    grown: list[dict[str, Any]] = []
    databases: list[str] = []
    async with LogWriter(_dsn(postgres, GROWN)) as writer:
        for size in sizes:
            load_seconds = await writer.append(size - writer.written)
            connection = await asyncpg.connect(_dsn(postgres, GROWN))
            try:
                started = time.perf_counter()
                await connection.execute("VACUUM (ANALYZE) events")
                vacuum_seconds = time.perf_counter() - started
            finally:
                await connection.close()  # a template has no one connected
            database = GROWN
            if size != sizes[-1]:
                database = f"scale_{size}"
                admin = await asyncpg.connect(postgres.admin_dsn)
                try:
                    await admin.execute(
                        f"CREATE DATABASE {database} TEMPLATE {GROWN} STRATEGY FILE_COPY"
                    )
                finally:
                    await admin.close()
            databases.append(database)
            grown.append(
                {
                    "events": size,
                    "load_seconds": round(load_seconds, 1),
                    "vacuum_seconds": round(vacuum_seconds, 1),
                }
            )
    return grown, databases


async def run(
    root: Path,
    work: Path,
    sizes: tuple[int, ...] = SIZES,
    *,
    rounds: int,
    seconds: float,
    connections: int,
    pinned: bool = True,
) -> dict[str, Any]:
    """The figures at each size, and the plans of audit's reads at the largest."""
    async with AsyncExitStack() as exit_stack:
        postgres = PostgresServer(settings=SERVER_SETTINGS)
        postgres.initialise()
        postgres.start()
        exit_stack.callback(postgres.remove)
        exit_stack.callback(postgres.stop)
        moto = MotoServer().start()
        exit_stack.callback(moto.stop)
        os.environ.update(FAKE_CREDENTIALS)
        stack = Stack(
            root=root,
            logs=work,
            admin_dsn=postgres.admin_dsn,
            moto_url=moto.url,
            prefix="scale",
            runtime={
                **PRODUCTION_RUNTIME,
                **QUIET,
                "ARCHIVE_FLUSH_INTERVAL_SECONDS": archive_writer.FLUSH_INTERVAL_SECONDS,
            },
        )
        await stack.provision()
        stack.spans.start()
        exit_stack.callback(stack.spans.stop)
        audits = _Audits(stack, postgres, exit_stack)
        await recreate_database(postgres.admin_dsn, GROWN)
        (await audits.start(GROWN)).stop(drain=False)  # migrated, and nobody on the template
        found, databases = await _grow(postgres, sizes)

        serving = [await audits.start(database) for database in databases]
        postmaster = _postmaster_pid(postgres)
        cpus = split_cpus() if pinned else None
        _place(serving, postmaster, cpus)
        assert stack.identity is not None
        token = await access_token(stack.cognito_url, REGION, stack.identity, ADMIN)
        logs = [
            LogAtSize(
                events=size,
                dsn=_dsn(postgres, database),
                audit_url=audit.url,
                audit_pid=audit.pid,
                postgres_pid=postmaster,
                token=token,
                moto_url=moto.url,
                load_cpus=cpus[1] if cpus else None,
                work=work,
                rounds=rounds,
                seconds=seconds,
                connections=connections,
            )
            for size, database, audit in zip(sizes, databases, serving, strict=True)
        ]
        # The machine is shared: how busy it was around the measurements.
        load_average = [os.getloadavg()[0]]
        reads = await audit_queries.measure(logs)
        load_average.append(os.getloadavg()[0])
        for at_size, log, read in zip(found, logs, reads, strict=True):
            at_size["queries"] = read
            for name, measurement in MEASUREMENTS.items():
                at_size[name] = await measurement(log)
        plans = await audit_queries.plans(logs[-1].dsn, seed=sizes[-1])
        for name, plan in plans.items():
            print(f"EXPLAIN (ANALYZE, BUFFERS), {name}, {sizes[-1]:,} events:", file=sys.stderr)
            print(plan + "\n", file=sys.stderr)
        connection = await asyncpg.connect(postgres.admin_dsn)
        try:
            server = {
                "postgres": await connection.fetchval("SHOW server_version"),
                "shared_buffers": await connection.fetchval("SHOW shared_buffers"),
                "memory_gb": round(
                    os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
                ),
                "load_average": load_average,
            }
        finally:
            await connection.close()
    return {"server": server, "sizes": found, "plans": {"events": sizes[-1], **plans}}
