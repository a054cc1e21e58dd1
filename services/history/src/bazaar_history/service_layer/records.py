"""The writes: a record made by an admin, or made once from an event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_common.messaging.ids import uuid7
from bazaar_history.domain.model import History, Origin
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork

logger = logging.getLogger("bazaar.history")

NewId = Callable[[], UUID]


async def create(
    uow: HistoryUnitOfWork, customer_id: str, *, clock: Clock = utc_now, new_id: NewId = uuid7
) -> History:
    """A record for ``customer_id``, made by hand."""
    async with uow:
        record = History.create(new_id(), customer_id=customer_id, now=clock())
        await uow.records.add(record)
        await uow.commit()
    return record


async def record_event(
    uow: HistoryUnitOfWork,
    origin: Origin,
    customer_id: str | None,
    *,
    clock: Clock = utc_now,
    new_id: NewId = uuid7,
) -> bool:
    """The record of the event ``origin`` names; False when it made one before (no change)."""
    async with uow:
        record = History.create(new_id(), customer_id=customer_id, now=clock(), origin=origin)
        added = await uow.records.add(record)
        await uow.commit()
    if not added:
        # The consumer's inbox filters redeliveries first; reaching here means
        # it lost the row (purged, restored) and the unique origin caught it.
        logger.info("event already recorded", extra={"event_id": str(origin.event_id)})
    return added
