"""Audit's two reads at each size of the event log, side by side: an order's timeline, a page.

Each is a wrk load of requests picked at random (``random_path.lua``) from
a few thousand made for the size: the timeline of an order placed at a
random moment of the log (``GET /audit/orders/{id}/timeline``), and the
first page of ``OrderConfirmed`` events in a random hour of it
(``GET /audit/events?type=&since=&until=``, 50 a page), wrk on the load
CPUs, every size and read once a round. One request of each is checked
first, so the figures are of real answers: a timeline with events, a full
page.

``plans`` explains both queries as audit's ``EventStore`` sends them, and
``in_the_database`` runs them in PostgreSQL alone, at each size.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import asyncpg
import httpx

from bazaar_bench import procstat, wrk
from bazaar_bench.stats import Spread, percentile

if TYPE_CHECKING:
    from bazaar_bench.scale import LogAtSize

RANDOM_PATH = "random_path.lua"
READS = ["timeline", "page"]
PATHS = 2_000
EXPLAINED = 300  # statements explained per read and size by in_the_database
PAGE_TYPE = "OrderConfirmed"
PAGE_WINDOW = timedelta(hours=1)
PAGE_SIZE = 50  # audit's default page
WARM_UP_SECONDS = 2.0

# audit's EventStore.of_subject and EventStore.page as SQLAlchemy writes them
# (the bench does not import a service): the columns of a RecordedEvent, a
# subject or a type and time window, in (occurred_at, event_id) order, one
# row more than shown.
_COLUMNS = (
    "event_id AS id, type, source, subject, version, occurred_at AS time, received_at, "
    "causation_id, traceparent, envelope['data'] AS data"
)
TIMELINE_SQL = (
    f"SELECT {_COLUMNS} FROM events WHERE subject = $1::VARCHAR "  # noqa: S608 - constants
    "ORDER BY occurred_at, event_id LIMIT 1001"
)
PAGE_SQL = (
    f"SELECT {_COLUMNS} FROM events WHERE type = $1::VARCHAR "  # noqa: S608 - constants
    "AND occurred_at >= $2::TIMESTAMPTZ AND occurred_at < $3::TIMESTAMPTZ "
    f"ORDER BY occurred_at, event_id LIMIT {PAGE_SIZE + 1}"
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def _orders_and_windows(
    connection: asyncpg.Connection, rng: random.Random, count: int
) -> tuple[list[str], list[datetime]]:
    """Orders placed at random moments of the log, and random hours' starts within it."""
    bounds = await connection.fetchrow("SELECT min(occurred_at), max(occurred_at) FROM events")
    assert bounds is not None, "an aggregate has its row"
    first, last = bounds
    span = last - first
    moments = [first + span * rng.random() for _ in range(count)]
    rows = await connection.fetch(
        "SELECT (SELECT subject FROM events WHERE occurred_at >= moment "
        "ORDER BY occurred_at LIMIT 1) FROM unnest($1::timestamptz[]) AS moment",
        moments,
    )
    windows = [first + max(span - PAGE_WINDOW, timedelta(0)) * rng.random() for _ in range(count)]
    return [row[0] for row in rows], windows


def _page_path(since: datetime) -> str:
    window = {"type": PAGE_TYPE, "since": _iso(since), "until": _iso(since + PAGE_WINDOW)}
    return f"/audit/events?{urlencode(window)}"


async def _check(url: str, token: str, paths: dict[str, list[str]]) -> None:
    """One answer of each: a timeline with events, a full page; else no figure means anything."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
        timeline = await http.get(paths["timeline"][0])
        page = await http.get(paths["page"][0])
    if timeline.status_code != 200 or not timeline.json()["events"]:
        raise RuntimeError(f"timeline: {timeline.status_code} {timeline.text[:300]}")
    if page.status_code != 200 or len(page.json()["items"]) != PAGE_SIZE:
        raise RuntimeError(f"page: {page.status_code} {page.text[:300]}")


async def _paths(log: LogAtSize) -> dict[str, Path]:
    """The size's files of paths, one request a line, each read's first answer checked."""
    connection = await asyncpg.connect(log.dsn)
    try:
        rng = random.Random(log.events)  # noqa: S311 - a sample, not a secret
        orders, windows = await _orders_and_windows(connection, rng, PATHS)
    finally:
        await connection.close()
    paths = {
        "timeline": [f"/audit/orders/{order}/timeline" for order in orders],
        "page": [_page_path(since) for since in windows],
    }
    await _check(log.audit_url, log.token, paths)
    files = {}
    for name, listed in paths.items():
        files[name] = log.work / f"{name}-{log.events}.paths"
        files[name].write_text("\n".join(listed) + "\n", encoding="utf-8")
    return files


@dataclass
class _Runs:
    samples: list[wrk.Sample] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    db_cpu_us: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "requests": sum(sample.requests for sample in self.samples),
            "rps": Spread.of([sample.rps for sample in self.samples]).as_dict(),
            "p50_ms": Spread.of([sample.p50_ms for sample in self.samples]).as_dict(),
            "p99_ms": Spread.of([sample.p99_ms for sample in self.samples]).as_dict(),
            "cpu_us_per_request": Spread.of(self.cpu_us).as_dict(),
            "db_cpu_us_per_request": Spread.of(self.db_cpu_us).as_dict(),
            # Round by round, for ratios between sizes taken within a round.
            "rounds": {
                "p50_ms": [sample.p50_ms for sample in self.samples],
                "p99_ms": [sample.p99_ms for sample in self.samples],
            },
        }


async def measure(logs: list[LogAtSize]) -> list[dict[str, Any]]:
    """Each read at each size: requests/s, p50, p99, CPU per request of audit and of Postgres.

    Every round runs every size and read once, the sizes in an order that
    shifts each round and the two reads alternating, so a busy spell of the
    machine spreads over all of them.
    """
    files = [await _paths(log) for log in logs]
    runs = [{read: _Runs() for read in READS} for _ in logs]
    for log, paths in zip(logs, files, strict=True):  # warm-up: pools, caches, the token
        for read in READS:
            await _load(log, paths[read], min(WARM_UP_SECONDS, log.seconds))
    rounds = logs[0].rounds
    order = list(range(len(logs)))
    for number in range(rounds):
        shift = number % len(order)
        for index in order[shift:] + order[:shift]:
            log = logs[index]
            for read in READS[number % 2 :] + READS[: number % 2]:
                await _measure_one(log, files[index][read], runs[index][read])
                sample = runs[index][read].samples[-1]
                print(
                    f"round {number + 1}/{rounds} {log.events:>12,} events {read:8} "
                    f"{sample.rps:6.0f} rps  p50 {sample.p50_ms:6.2f} ms  "
                    f"p99 {sample.p99_ms:6.2f} ms",
                    file=sys.stderr,
                    flush=True,
                )
    return [{read: found.figures() for read, found in by_read.items()} for by_read in runs]


async def _measure_one(log: LogAtSize, paths: Path, into: _Runs) -> None:
    service = procstat.cpu_seconds(log.audit_pid)
    database = procstat.tree_cpu_seconds(log.postgres_pid)
    sample = await _load(log, paths, log.seconds)
    into.samples.append(sample)
    into.cpu_us.append((procstat.cpu_seconds(log.audit_pid) - service) / sample.requests * 1e6)
    into.db_cpu_us.append(
        (procstat.tree_cpu_seconds(log.postgres_pid) - database) / sample.requests * 1e6
    )


async def _load(log: LogAtSize, paths: Path, seconds: float) -> wrk.Sample:
    return await wrk.run(
        log.audit_url + "/",
        connections=log.connections,
        seconds=seconds,
        cpus=log.load_cpus,
        headers=[f"Authorization: Bearer {log.token}"],
        script=RANDOM_PATH,
        script_arguments=[str(paths)],
    )


async def _prepared(connection: asyncpg.Connection) -> None:
    await connection.execute(f"PREPARE timeline (varchar) AS {TIMELINE_SQL}")
    await connection.execute(f"PREPARE page (varchar, timestamptz, timestamptz) AS {PAGE_SQL}")


def _arguments(read: str, order: str, since: datetime) -> tuple[object, ...]:
    return (order,) if read == "timeline" else (PAGE_TYPE, since, since + PAGE_WINDOW)


async def _explain(
    connection: asyncpg.Connection, read: str, arguments: tuple[object, ...], options: str
) -> list[Any]:
    # EXECUTE takes no parameters of its own: the values as quoted literals.
    literals = [
        await connection.fetchval("SELECT quote_literal($1::text)", str(argument))
        for argument in arguments
    ]
    return [
        row[0]
        for row in await connection.fetch(
            f"EXPLAIN ({options}) EXECUTE {read} ({', '.join(literals)})"
        )
    ]


async def plans(dsn: str, seed: int) -> dict[str, str]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of both reads for a random order and hour.

    Each as a prepared statement, as audit's driver sends them, twice: with
    a plan for the values (a statement's first runs), and with the generic
    plan Postgres may switch a prepared statement to after five.
    """
    connection = await asyncpg.connect(dsn)
    try:
        orders, windows = await _orders_and_windows(connection, random.Random(seed), 1)  # noqa: S311
        await _prepared(connection)
        found = {}
        for mode, suffix in (("force_custom_plan", ""), ("force_generic_plan", " (generic plan)")):
            await connection.execute(f"SET plan_cache_mode = {mode}")
            for read in READS:
                lines = await _explain(
                    connection, read, _arguments(read, orders[0], windows[0]), "ANALYZE, BUFFERS"
                )
                found[read + suffix] = "\n".join(lines)
    finally:
        await connection.close()
    return found


async def in_the_database(log: LogAtSize) -> dict[str, Any]:
    """Each read in PostgreSQL alone, for random orders and hours: its time and its pages.

    ``EXPLAIN (ANALYZE, BUFFERS)`` of each statement as audit prepares it:
    the execution time, the pages found in shared_buffers (hit) and those
    read from outside them, from the OS's page cache or the disk (read), and
    the time those reads took (``track_io_timing``). Where a read's time
    grows with the log, these say whether it is the query's work or its
    pages no longer fitting in memory.
    """
    connection = await asyncpg.connect(log.dsn)
    try:
        rng = random.Random(log.events + 1)  # noqa: S311 - a sample, not a secret
        orders, windows = await _orders_and_windows(connection, rng, EXPLAINED)
        await _prepared(connection)
        found = {}
        for read in READS:
            executed: list[float] = []
            hit: list[int] = []
            read_from_outside: list[int] = []
            io_ms: list[float] = []
            for order, since in zip(orders, windows, strict=True):
                arguments = _arguments(read, order, since)
                (plan,) = await _explain(
                    connection, read, arguments, "ANALYZE, BUFFERS, FORMAT JSON"
                )
                (top,) = json.loads(plan) if isinstance(plan, str) else plan
                executed.append(top["Execution Time"])
                hit.append(top["Plan"]["Shared Hit Blocks"])
                read_from_outside.append(top["Plan"]["Shared Read Blocks"])
                io_ms.append(top["Plan"].get("I/O Read Time", 0.0))
            found[read] = {
                "queries": len(executed),
                "execution_p50_ms": percentile(executed, 0.50),
                "execution_p99_ms": percentile(executed, 0.99),
                "pages_hit": statistics.mean(hit),
                "pages_read": statistics.mean(read_from_outside),
                "read_ms": statistics.mean(io_ms),
            }
    finally:
        await connection.close()
    return found
