"""The events audit consumes, each with its handler: every event type, one handler.

The handler runs inside the consumer's open unit of work, so the stored
event and the consumer's inbox row commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_audit.service_layer.recording import record_event
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts import ALL_EVENTS


async def store_event(event: Event, envelope: Envelope, uow: AuditUnitOfWork) -> None:
    # The envelope, not the parsed event: the store keeps what arrived.
    await record_event(uow, envelope)


HANDLERS: Mapping[type[Event], Handler[AuditUnitOfWork]] = dict.fromkeys(ALL_EVENTS, store_event)
