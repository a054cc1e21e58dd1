"""HTTP route of the event store: filtered, paginated reads, for admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bazaar_audit.domain.errors import InvalidTimeRange
from bazaar_audit.domain.model import EventFilter, Position
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
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)

router = APIRouter(prefix="/events", tags=["events"])
EVENT_CURSOR = KeysetCursor(Position)


@router.get(
    "",
    response_model=EventPage,
    responses=problem_responses(
        *NEEDS_ADMIN, *TAKES_PARAMETERS, *USES_DATABASE, InvalidTimeRange, InvalidCursor
    ),
)
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
    cursor: CursorQuery = None,
) -> EventPage:
    page = await queries.events_page(
        uow,
        EventFilter(subject=subject, type=event_type, since=since, until=until),
        after=EVENT_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit,
    )
    next_cursor = EVENT_CURSOR.encode(page.next_position) if page.next_position else None
    return EventPage(items=EventOut.all_of(page.events), next_cursor=next_cursor)
