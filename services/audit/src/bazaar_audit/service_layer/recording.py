"""The one write: an event off the bus, stored as it arrived and queued for the archive."""

from __future__ import annotations

import logging

from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_common.messaging.envelope import Envelope

logger = logging.getLogger("bazaar.audit")


async def record_event(uow: AuditUnitOfWork, envelope: Envelope) -> bool:
    """Append the envelope and queue it for the archive; False when its id was stored before.

    One transaction: an event is in the store exactly when it is archived or
    queued to be.
    """
    async with uow:
        stored = await uow.events.append(envelope)
        if stored:
            await uow.archive.add(envelope.id)
        await uow.commit()
    if not stored:
        # The consumer's inbox filters redeliveries first; reaching here means
        # the inbox lost the row (purged, restored) and the primary key caught it.
        logger.info("event already stored", extra={"event_id": str(envelope.id)})
    return stored
