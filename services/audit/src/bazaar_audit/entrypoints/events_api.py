"""HTTP route of the event store: filtered, paginated reads, for admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bazaar_audit.domain.model import EventFilter
from bazaar_audit.entrypoints.cursor import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from bazaar_audit.entrypoints.dependencies import UnitOfWorkDep
from bazaar_audit.entrypoints.schemas import (
    DEFAULT_PAGE_LIMIT,
    KNOWN_EVENT_TYPES,
    MAX_PAGE_LIMIT,
    EventOut,
    EventPage,
    EventTypeName,
    IsoDateTime,
    Subject,
)
from bazaar_audit.service_layer import queries
from bazaar_common.auth import AdminPrincipal

router = APIRouter(prefix="/events", tags=["events"])


@router.get("", response_model=EventPage)
async def list_events(
    uow: UnitOfWorkDep,
    _: AdminPrincipal,
    subject: Annotated[Subject | None, Query(description="The aggregate id")] = None,
    event_type: Annotated[
        EventTypeName | None, Query(alias="type", json_schema_extra={"enum": KNOWN_EVENT_TYPES})
    ] = None,
    since: Annotated[IsoDateTime | None, Query(description="Inclusive")] = None,
    until: Annotated[IsoDateTime | None, Query(description="Exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = DEFAULT_PAGE_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)] = None,
) -> EventPage:
    page = await queries.events_page(
        uow,
        EventFilter(subject=subject, type=event_type, since=since, until=until),
        after=decode_cursor(cursor) if cursor is not None else None,
        limit=limit,
    )
    next_cursor = encode_cursor(page.next_position) if page.next_position else None
    return EventPage(items=EventOut.all_of(page.events), next_cursor=next_cursor)
