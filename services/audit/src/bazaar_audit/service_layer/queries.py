"""The reads of the audit trail: filtered pages, and one order's timeline."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from bazaar_audit.domain.errors import TimelineNotFound
from bazaar_audit.domain.model import EventFilter, Position, RecordedEvent
from bazaar_audit.domain.timeline import causal_order
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork

logger = logging.getLogger("bazaar.audit")

# A saga writes about a dozen events per order, a few more with late replies
# and their compensations; this bound only keeps one response finite.
MAX_TIMELINE_EVENTS = 1_000


@dataclass(frozen=True, slots=True)
class Page:
    events: list[RecordedEvent]
    next_position: Position | None
    """Where the next page starts; None on the last page."""


@dataclass(frozen=True, slots=True)
class Timeline:
    order_id: UUID
    events: list[RecordedEvent]
    truncated: bool
    """True when the order has more than ``MAX_TIMELINE_EVENTS``; only the first are shown."""


async def events_page(
    uow: AuditUnitOfWork, event_filter: EventFilter, *, after: Position | None, limit: int
) -> Page:
    async with uow.reading():
        # One row more than asked says whether another page follows.
        found = await uow.events.page(event_filter, after=after, limit=limit + 1)
    events = found[:limit]
    more = len(found) > limit
    return Page(events=events, next_position=events[-1].position if more else None)


async def order_timeline(
    uow: AuditUnitOfWork, order_id: UUID, *, max_events: int = MAX_TIMELINE_EVENTS
) -> Timeline:
    async with uow.reading():
        found = await uow.events.of_subject(str(order_id), limit=max_events + 1)
    if not found:
        raise TimelineNotFound(order_id)
    truncated = len(found) > max_events
    if truncated:
        logger.warning("timeline truncated", extra={"order_id": str(order_id), "shown": max_events})
    return Timeline(order_id, causal_order(found[:max_events]), truncated)
