"""Every query on the event store: append, restore from the archive, read in (time, id) order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_audit.adapters.tables import events
from bazaar_audit.domain.model import EventFilter, Position, RecordedEvent
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.messaging.envelope import Envelope

# Labelled as RecordedEvent's fields, so a row is one.
_COLUMNS = (
    events.c.event_id.label("id"),
    events.c.type,
    events.c.source,
    events.c.subject,
    events.c.version,
    events.c.occurred_at.label("time"),
    events.c.received_at,
    events.c.causation_id,
    events.c.traceparent,
    events.c.envelope["data"].label("data"),
)
_ORDER = (events.c.occurred_at, events.c.event_id)


class EventStore:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def append(self, envelope: Envelope) -> bool:
        """Store an envelope as received; False when its id is already stored."""
        inserted = await self._connection.execute(
            insert(events)
            .values(**_row(envelope))
            .on_conflict_do_nothing(index_elements=[events.c.event_id])
            .returning(events.c.event_id)
        )
        return inserted.first() is not None

    async def restore(self, archived: Sequence[ArchivedEvent]) -> int:
        """Store archived events as they were received; how many were new."""
        if not archived:
            return 0
        inserted = await self._connection.execute(
            insert(events)
            .values(
                [{**_row(event.envelope), "received_at": event.received_at} for event in archived]
            )
            .on_conflict_do_nothing(index_elements=[events.c.event_id])
            .returning(events.c.event_id)
        )
        return len(inserted.all())

    async def page(
        self, event_filter: EventFilter, *, after: Position | None, limit: int
    ) -> list[RecordedEvent]:
        """Matching events in (time, id) order after ``after`` (keyset pagination)."""
        conditions = _conditions(event_filter)
        if after is not None:
            conditions.append(tuple_(*_ORDER) > tuple_(after.time, after.event_id))
        query = select(*_COLUMNS).where(*conditions).order_by(*_ORDER).limit(limit)
        rows = (await self._connection.execute(query)).mappings()
        return [RecordedEvent(**row) for row in rows]

    async def of_subject(self, subject: str, *, limit: int) -> list[RecordedEvent]:
        """The first ``limit`` events of one subject, in (time, id) order."""
        query = select(*_COLUMNS).where(events.c.subject == subject).order_by(*_ORDER).limit(limit)
        rows = (await self._connection.execute(query)).mappings()
        return [RecordedEvent(**row) for row in rows]


def _row(envelope: Envelope) -> dict[str, Any]:
    return {
        "event_id": envelope.id,
        "type": envelope.type,
        "source": envelope.source,
        "subject": envelope.subject,
        "version": envelope.version,
        "occurred_at": envelope.time,
        "causation_id": envelope.causation_id,
        "traceparent": envelope.traceparent,
        "envelope": envelope.model_dump(mode="json"),
    }


def _conditions(event_filter: EventFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if event_filter.subject is not None:
        conditions.append(events.c.subject == event_filter.subject)
    if event_filter.type is not None:
        conditions.append(events.c.type == event_filter.type)
    if event_filter.since is not None:
        conditions.append(events.c.occurred_at >= event_filter.since)
    if event_filter.until is not None:
        conditions.append(events.c.occurred_at < event_filter.until)
    return conditions
