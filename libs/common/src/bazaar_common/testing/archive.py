"""Archived events made up for tests of the archive and its readers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bazaar_common.archive import layout
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.ids import uuid7


def archived_event(
    at: datetime,
    event_type: str = "OrderPlaced",
    *,
    subject: str = "order-1",
    data: dict[str, Any] | None = None,
    received_after: timedelta = timedelta(0),
) -> ArchivedEvent:
    """An event timed ``at``, received ``received_after`` later."""
    envelope = Envelope(
        id=uuid7(),
        type=event_type,
        source="bazaar.orders",
        time=at,
        subject=subject,
        version=1,
        data=data or {},
    )
    return ArchivedEvent(envelope, received_at=at + received_after)


async def put_as_one_batch(store: ArchiveStore, *events: ArchivedEvent) -> str:
    """Write ``events`` (of one day and type) as the writer would: keyed by the first."""
    first = min(events, key=lambda event: event.sort_key)
    key = layout.batch_key(
        layout.day_of(first.envelope.time), first.envelope.type, first.envelope.id
    )
    if not await store.put_batch(key, events):
        raise AssertionError(f"{key} was already written")
    return key
