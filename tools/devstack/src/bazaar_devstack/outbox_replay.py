"""After the local broker lost its messages: publish again what it may have held.

moto keeps nothing across a restart: the events on the bus and in the queues
when it died are gone, and with them replies the saga waits for, releases
of stock, confirmations shipping reacts to. Every service's outbox still has
each event it published (for ``OUTBOX_RETENTION_HOURS``), so the events
published since that moto started are marked unpublished again and their
relays send them once more. Consumers record each event id once (the
inbox), so an event that had arrived changes nothing the second time.

In AWS the broker does not lose accepted messages; the way back from a
lost or wrong consumer there is the event archive's replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import asyncpg

from bazaar_common.messaging.outbox import NOTIFY_CHANNEL


async def republish_since(dsn: str, since: datetime) -> int:
    """Rows of one database's outbox published at or after ``since``, made unpublished again.

    The relay is woken at commit, as by a new event; returns how many rows.
    """
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            status = await connection.execute(
                "UPDATE outbox SET published_at = NULL WHERE published_at >= $1", since
            )
            await connection.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    finally:
        await connection.close()
    return int(status.rsplit(" ", 1)[1])


async def republish_everywhere(dsns: Iterable[str], since: datetime) -> int:
    """``republish_since`` on every service's database; the rows made unpublished in all."""
    return sum([await republish_since(dsn, since) for dsn in dsns])
