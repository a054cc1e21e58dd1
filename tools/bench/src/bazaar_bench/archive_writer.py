"""The archive writer at each size of the event log: how fast a backlog reaches S3.

At each size, the audit service serving that size's database runs its
archive writer against the bench's moto S3, as in AWS. A round queues
``BACKLOG`` stored events (fewer in a log too small for three rounds) for
the archive (their ids into ``archive_pending``, as storing them would
have) and times until the writer has claimed, written and forgotten them
all: events per second through the claim (a join of the queue with
``events``), the gzip and the PUTs. Each round takes events no round took
before (the newest after the previous rounds'), so no batch meets a key
already written. ``events`` is left as it was; the queue is empty again
after each round.

The writer flushes every ``ARCHIVE_FLUSH_INTERVAL_SECONDS`` (``scale``
sets 0.2 s), so a round includes at most that wait for its first flush.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from bazaar_bench.scale import LogAtSize

BACKLOG = 2_000
ROUNDS = 3
DRAINED_WITHIN = 120.0
FLUSH_INTERVAL_SECONDS = "0.2"


async def measure(log: LogAtSize) -> dict[str, Any]:
    backlog = min(BACKLOG, log.events // ROUNDS)  # a small log: smaller backlogs
    connection = await asyncpg.connect(log.dsn)
    try:
        rates = [
            await _one_round(connection, offset=index * backlog, backlog=backlog)
            for index in range(ROUNDS)
        ]
    finally:
        await connection.close()
    return {
        "backlog_events": backlog,
        "rounds": ROUNDS,
        "events_per_second": [round(rate) for rate in rates],
        "median_events_per_second": round(statistics.median(rates)),
    }


async def _one_round(connection: asyncpg.Connection, *, offset: int, backlog: int) -> float:
    started = time.monotonic()
    await connection.execute(
        "INSERT INTO archive_pending (event_id) "
        "SELECT event_id FROM events ORDER BY event_id DESC OFFSET $1 LIMIT $2",
        offset,
        backlog,
    )
    deadline = started + DRAINED_WITHIN
    while await connection.fetchval("SELECT count(*) FROM archive_pending"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the archive writer left events queued after {DRAINED_WITHIN} s")
        await asyncio.sleep(0.02)
    return backlog / (time.monotonic() - started)
