"""Audit's two reads, measured at one size of the event log: an order's timeline, a page.

Each is a wrk load of requests picked at random (``random_path.lua``) from
a few thousand made for the size: the timeline of an order placed at a
random moment of the log (``GET /audit/orders/{id}/timeline``), and the
first page of ``OrderConfirmed`` events in a random hour of it
(``GET /audit/events?type=&since=&until=``, 50 a page). Rounds alternate the two,
wrk on the load CPUs. One request of each is checked first, so the figures
are of real answers: a timeline with events, a full page.

``plans`` explains both queries as audit's ``EventStore`` sends them.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import asyncpg
import httpx

from bazaar_bench import procstat, wrk
from bazaar_bench.stats import Spread

if TYPE_CHECKING:
    from bazaar_bench.scale import LogAtSize

RANDOM_PATH = "random_path.lua"
PATHS = 2_000
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


async def measure(log: LogAtSize) -> dict[str, Any]:
    """Each read's requests/s, p50, p99 and audit's CPU per request, over the rounds."""
    connection = await asyncpg.connect(log.dsn)
    try:
        orders, windows = await _orders_and_windows(connection, random.Random(log.events), PATHS)  # noqa: S311
    finally:
        await connection.close()
    paths = {
        "timeline": [f"/audit/orders/{order}/timeline" for order in orders],
        "page": [_page_path(since) for since in windows],
    }
    await _check(log.audit_url, log.token, paths)
    files: dict[str, Path] = {}
    for name, listed in paths.items():
        files[name] = log.work / f"{name}-{log.events}.paths"
        files[name].write_text("\n".join(listed) + "\n", encoding="utf-8")
    samples: dict[str, list[wrk.Sample]] = {name: [] for name in paths}
    cpu_us: dict[str, list[float]] = {name: [] for name in paths}
    for name in paths:  # warm-up: the pool's connections, the token's verification
        await _load(log, files[name], min(WARM_UP_SECONDS, log.seconds))
    for number in range(log.rounds):
        for name in list(paths)[number % 2 :] + list(paths)[: number % 2]:
            before = procstat.cpu_seconds(log.audit_pid)
            sample = await _load(log, files[name], log.seconds)
            used = procstat.cpu_seconds(log.audit_pid) - before
            samples[name].append(sample)
            cpu_us[name].append(used / sample.requests * 1e6)
            print(
                f"{log.events:>12,} events, round {number + 1}/{log.rounds} {name:8} "
                f"{sample.rps:6.0f} rps  p50 {sample.p50_ms:6.2f} ms  p99 {sample.p99_ms:6.2f} ms",
                file=sys.stderr,
                flush=True,
            )
    return {
        name: {
            "requests": sum(sample.requests for sample in samples[name]),
            "rps": Spread.of([sample.rps for sample in samples[name]]).as_dict(),
            "p50_ms": Spread.of([sample.p50_ms for sample in samples[name]]).as_dict(),
            "p99_ms": Spread.of([sample.p99_ms for sample in samples[name]]).as_dict(),
            "cpu_us_per_request": Spread.of(cpu_us[name]).as_dict(),
        }
        for name in paths
    }


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


async def plans(dsn: str, seed: int) -> dict[str, str]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of both reads for a random order and hour.

    Each as a prepared statement, as audit's driver sends them, twice: with
    a plan for the values (a statement's first runs), and with the generic
    plan Postgres may switch a prepared statement to after five.
    """
    connection = await asyncpg.connect(dsn)
    try:
        orders, windows = await _orders_and_windows(connection, random.Random(seed), 1)  # noqa: S311
        since = windows[0]
        await connection.execute(f"PREPARE timeline (varchar) AS {TIMELINE_SQL}")
        await connection.execute(f"PREPARE page (varchar, timestamptz, timestamptz) AS {PAGE_SQL}")
        found = {}
        for mode, suffix in (("force_custom_plan", ""), ("force_generic_plan", " (generic plan)")):
            await connection.execute(f"SET plan_cache_mode = {mode}")
            for name, arguments in (
                ("timeline", (orders[0],)),
                ("page", (PAGE_TYPE, since, since + PAGE_WINDOW)),
            ):
                # EXECUTE takes no parameters of its own: the values as quoted literals.
                literals = [
                    await connection.fetchval("SELECT quote_literal($1::text)", str(argument))
                    for argument in arguments
                ]
                rows = await connection.fetch(
                    f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE {name} ({', '.join(literals)})"
                )
                found[name + suffix] = "\n".join(row[0] for row in rows)
    finally:
        await connection.close()
    return found
