"""Remember which events a consumer has handled, so a redelivery has no effect.

SQS delivers at least once, and the relay publishes at least once. The row
is written in the handler's own transaction: either the handler's changes
and the row commit together, or neither does and the event is handled again.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.messaging.envelope import Envelope


async def record_once(
    connection: AsyncConnection, inbox: Table, *, consumer: str, envelope: Envelope
) -> bool:
    """True the first time ``consumer`` records this event id, False after.

    Two deliveries handled at once are serialised by the primary key: the
    second insert waits for the first transaction and then finds the row (or
    inserts it, if the first rolled back).
    """
    statement = (
        insert(inbox)
        .values(consumer=consumer, event_id=envelope.id, event_type=envelope.type)
        .on_conflict_do_nothing(index_elements=[inbox.c.consumer, inbox.c.event_id])
        .returning(inbox.c.event_id)
    )
    result = await connection.execute(statement)
    return result.first() is not None
