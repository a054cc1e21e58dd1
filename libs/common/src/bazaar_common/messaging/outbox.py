"""Write events in the same transaction as the state change they describe.

Either both commit or neither does. The ``NOTIFY`` is transactional too: the
relay is woken only when the rows it would publish are committed.
"""

from __future__ import annotations

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.clock import Clock, utc_now
from bazaar_common.messaging.causation import current_cause
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.trace_context import current_traceparent

NOTIFY_CHANNEL = "bazaar_outbox"
# EventBridge refuses entries over 256 KiB; such an event could never leave the
# outbox, so it is refused when written, with the state change it belongs to.
MAX_ENVELOPE_BYTES = 240 * 1024


class EventTooLarge(ValueError):
    pass


def envelope_of(event: Event, *, source: str, clock: Clock = utc_now) -> Envelope:
    return Envelope(
        id=uuid7(),
        type=event.event_type,
        source=source,
        time=clock(),
        subject=event.subject,
        version=event.event_version,
        data=event.model_dump(mode="json"),
        traceparent=current_traceparent(),
        causation_id=current_cause(),
    )


class Outbox:
    def __init__(self, connection: AsyncConnection, table: Table, *, source: str) -> None:
        self._connection = connection
        self._table = table
        self._source = source
        self._notified = False

    async def add(self, event: Event) -> Envelope:
        envelope = envelope_of(event, source=self._source)
        size = len(envelope.model_dump_json().encode())
        if size > MAX_ENVELOPE_BYTES:
            raise EventTooLarge(
                f"{envelope.type} is {size} bytes; the limit is {MAX_ENVELOPE_BYTES}"
            )
        await self._connection.execute(
            self._table.insert().values(
                id=envelope.id,
                type=envelope.type,
                subject=envelope.subject,
                envelope=envelope.model_dump(mode="json"),
                created_at=envelope.time,
            )
        )
        if not self._notified:
            await self._connection.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))
            self._notified = True
        return envelope
