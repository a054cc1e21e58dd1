"""After the local broker lost its messages: publish again what did not arrive.

moto keeps nothing across a restart: the events on the bus and in the queues
when it died are gone, and with them replies the saga waits for, releases
of stock, confirmations shipping reacts to. Every service's outbox still has
each event it published (for ``OUTBOX_RETENTION_HOURS``) and every consumer's
inbox each event it handled, so the events published since that moto
started that some consumer of their type has not handled are marked
unpublished again, and their relays send them once more. A consumer that
had one already records it once (the inbox): nothing happens twice.

In AWS the broker does not lose accepted messages; the way back from a
lost or wrong consumer there is the event archive's replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from bazaar_common.messaging.outbox import NOTIFY_CHANNEL
from bazaar_common.messaging.topology import Topology


async def republish_undelivered(
    databases: Mapping[str, str], topology: Topology, since: datetime
) -> int:
    """Every event published since ``since`` that a consumer of its type has not handled.

    ``databases``: each service's asyncpg DSN, by service name. Returns how
    many outbox rows were made unpublished again (their relays are woken).
    """
    handled = {
        service: {row["event_id"] for row in await _fetch(dsn, _HANDLED, since)}
        for service, dsn in databases.items()
        if topology.queue_of(service) is not None
    }
    total = 0
    for dsn in databases.values():
        published = await _fetch(dsn, _PUBLISHED, since)
        missing = [
            row["id"]
            for row in published
            if any(row["id"] not in handled[c] for c in topology.consumers_of(row["type"]))
        ]
        if missing:
            total += await republish(dsn, missing)
    return total


async def republish(dsn: str, event_ids: list[UUID]) -> int:
    """Those outbox rows made unpublished again; the relay is woken at commit."""
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            status = await connection.execute(
                "UPDATE outbox SET published_at = NULL WHERE id = ANY($1::uuid[])", event_ids
            )
            await connection.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    finally:
        await connection.close()
    return int(status.rsplit(" ", 1)[1])


_PUBLISHED = "SELECT id, type FROM outbox WHERE published_at >= $1"
# Handled after it was published, so after ``since``.
_HANDLED = "SELECT event_id FROM inbox WHERE received_at >= $1"


async def _fetch(dsn: str, query: str, since: datetime) -> list[Any]:
    connection = await asyncpg.connect(dsn)
    try:
        return list(await connection.fetch(query, since))
    finally:
        await connection.close()
