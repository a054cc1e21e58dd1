"""The event log at scale (``make bench-scale``): audit's reads as its ``events`` table grows.

One PostgreSQL and the audit service as a process of its own, started as
``make bench`` starts services (``Stack.environment``: the production
runtime, one uvicorn worker, tracing at one in ten, a real Cognito token
from moto), with its consumers off: only the generator writes to the table.
The log grows in steps (``sizes``; each step copies in the difference,
``bazaar_bench.log_writer``), then ``VACUUM (ANALYZE)`` brings it to the
state autovacuum keeps a table in (statistics, visibility map, hint bits),
so no vacuum of the new rows starts in the middle of a measurement.

At each size every measurement in ``MEASUREMENTS`` gets the log as it is
(``LogAtSize``) and returns its figures, which land in ``scale.json`` under
its name. That is the place for another figure of the log at size N (the
archive writer's throughput): an ``async def`` taking a ``LogAtSize`` and
returning a JSON-able dict, added to ``MEASUREMENTS``. A measurement may
read ``events`` and write elsewhere (moto is there, ``moto_url``), but
leaves ``events`` as it found it: the next size is reached by adding the
difference. The report lists a measurement it has no table for under the
sizes' table, figure by figure.

CPU: while measuring, the audit service has CPU 0 to itself; wrk,
PostgreSQL and the rest share the others (as in ``make bench``). While
loading, PostgreSQL and the generator use every CPU.
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

from bazaar_bench import audit_queries, procstat
from bazaar_bench.log_writer import LogWriter
from bazaar_bench.system import PRODUCTION_RUNTIME, QUIET, pin, split_cpus
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack.cognito import access_token
from bazaar_devstack.stack import Stack

SIZES = (10_000, 1_000_000, 10_000_000)
ADMIN = "ada"  # a demo admin of the stack's pool: audit's routes are for admins
# A quarter of a 4 GB database instance's memory; the table outgrows it past
# 10^6 events, and reads then come from the OS's page cache or the disk.
# Checkpoints far apart: the load writes gigabytes of WAL.
SERVER_SETTINGS = {
    "shared_buffers": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}


@dataclass(frozen=True)
class LogAtSize:
    """The event log at one size, as each measurement gets it."""

    events: int
    """Rows in ``events``."""
    dsn: str
    """audit's database (asyncpg form, a superuser)."""
    audit_url: str
    audit_pid: int
    token: str
    """An admin's access token, fresh for this size."""
    moto_url: str
    load_cpus: str | None
    """Where a load generator runs (taskset), None when nothing is pinned."""
    work: Path
    """A scratch folder of the run."""
    rounds: int
    seconds: float
    connections: int


Measurement = Callable[[LogAtSize], Awaitable[dict[str, Any]]]
MEASUREMENTS: dict[str, Measurement] = {"queries": audit_queries.measure}


async def _table_bytes(connection: asyncpg.Connection) -> dict[str, int]:
    sizes = await connection.fetchrow(
        "SELECT pg_total_relation_size('events'), pg_indexes_size('events')"
    )
    assert sizes is not None, "a SELECT without FROM has its row"
    total, indexes = sizes
    return {"table_bytes": total - indexes, "index_bytes": indexes, "total_bytes": total}


def _postmaster_pid(postgres: PostgresServer) -> int:
    return int((postgres.data_dir / "postmaster.pid").read_text().split()[0])


def _place(pids: list[int], cpus: str) -> None:
    for pid in pids:
        try:
            pin(pid, cpus)
        except subprocess.CalledProcessError:  # a backend that ended since the listing
            continue


@dataclass
class _Placement:
    """Where each runs: audit alone on its CPU while measuring, all anywhere while loading."""

    audit: ServiceProcess
    postmaster: int
    cpus: tuple[str, str] | None

    def measuring(self) -> None:
        if self.cpus:
            measured, others = self.cpus
            pin(self.audit.pid, measured)
            _place(procstat.tree_pids(self.postmaster), others)

    def loading(self) -> None:
        if self.cpus:
            every = ",".join(self.cpus)
            pin(self.audit.pid, every)
            _place(procstat.tree_pids(self.postmaster), every)


async def _start_audit(
    stack: Stack, exit_stack: AsyncExitStack, work: Path
) -> tuple[ServiceProcess, str]:
    """audit as make bench runs it (consumers off), migrated; its database's DSN."""
    await stack.provision()
    stack.spans.start()
    exit_stack.callback(stack.spans.stop)
    entry = stack.entries["audit"]
    audit = ServiceProcess(
        entry.package,
        port=free_port(),
        env=stack.environment(entry),
        log_path=work / "audit.log",
    ).start()
    exit_stack.callback(audit.stop, drain=False)
    await asyncio.to_thread(audit.wait_ready)  # its migrations ran
    return audit, stack.dsn("audit")


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
            runtime={**PRODUCTION_RUNTIME, **QUIET},
        )
        audit, dsn = await _start_audit(stack, exit_stack, work)
        placement = _Placement(audit, _postmaster_pid(postgres), split_cpus() if pinned else None)
        writer = await exit_stack.enter_async_context(LogWriter(dsn))
        connection = await asyncpg.connect(dsn)
        exit_stack.push_async_callback(connection.close)
        found: list[dict[str, Any]] = []
        for size in sizes:
            placement.loading()
            load_seconds = await writer.append(size - writer.written)
            started = time.perf_counter()
            await connection.execute("VACUUM (ANALYZE) events")
            vacuum_seconds = time.perf_counter() - started
            placement.measuring()
            assert stack.identity is not None
            log = LogAtSize(
                events=size,
                dsn=dsn,
                audit_url=audit.url,
                audit_pid=audit.pid,
                token=await access_token(stack.cognito_url, REGION, stack.identity, ADMIN),
                moto_url=moto.url,
                load_cpus=placement.cpus[1] if placement.cpus else None,
                work=work,
                rounds=rounds,
                seconds=seconds,
                connections=connections,
            )
            at_size: dict[str, Any] = {
                "events": size,
                **await _table_bytes(connection),
                "load_seconds": round(load_seconds, 1),
                "vacuum_seconds": round(vacuum_seconds, 1),
                # The machine is shared: how busy it was as the measurements began.
                "load_average": os.getloadavg()[0],
            }
            for name, measurement in MEASUREMENTS.items():
                at_size[name] = await measurement(log)
            found.append(at_size)
        plans = await audit_queries.plans(dsn, seed=sizes[-1])
        for name, plan in plans.items():
            print(f"EXPLAIN (ANALYZE, BUFFERS), {name}, {sizes[-1]:,} events:", file=sys.stderr)
            print(plan + "\n", file=sys.stderr)
        server = {
            "postgres": await connection.fetchval("SHOW server_version"),
            "shared_buffers": await connection.fetchval("SHOW shared_buffers"),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        }
    return {"server": server, "sizes": found, "plans": {"events": sizes[-1], **plans}}
