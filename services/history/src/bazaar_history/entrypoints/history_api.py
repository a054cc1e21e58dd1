"""HTTP routes of history records: admins make them, owners read them.

A customer sees their own records, an admin sees all. Another customer's
record is answered exactly as a missing one (OWASP API1, BOLA). Making one
takes an ``Idempotency-Key``: a retry replays the first answer (ADR 0019).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from bazaar_common.auth import AdminPrincipal, CurrentPrincipal, Principal
from bazaar_common.db.dependencies import ReadPoolDep
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    NEEDS_TOKEN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_common.idempotency.http import (
    TAKES_IDEMPOTENCY_KEY,
    IdempotencyKey,
    IdempotencyPolicy,
    answer_response,
    keyed,
)
from bazaar_common.idempotency.once import answer_once
from bazaar_history.adapters.repository import PageKey
from bazaar_history.domain.errors import HistoryNotFound
from bazaar_history.entrypoints.dependencies import UnitOfWorkDep
from bazaar_history.entrypoints.rendering import record_response
from bazaar_history.entrypoints.schemas import HistoryCreate, HistoryOut, HistoryPage
from bazaar_history.service_layer import queries, records

router = APIRouter(tags=["history"])
RECORD_CURSOR = KeysetCursor(PageKey)


def _visible_to(principal: Principal) -> str | None:
    """The customer whose records the caller may read; None for all of them."""
    return None if principal.is_admin else principal.subject


@router.post(
    "",
    response_model=HistoryOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*NEEDS_ADMIN, *TAKES_BODY, *USES_DATABASE, *TAKES_IDEMPOTENCY_KEY),
)
async def create_record(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    body: HistoryCreate,
) -> Response:
    """Make a record; a retry with the same `Idempotency-Key` replays and makes none."""

    async def create() -> HistoryOut:
        return HistoryOut.of(await records.create(uow, body.customer_id))

    request = keyed(admin, key, body.model_dump(mode="json"))
    answer = await answer_once(uow, request, create, policy=policy, status_code=201)
    return answer_response(answer)


@router.get(
    "",
    response_model=HistoryPage,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, InvalidCursor),
)
async def list_records(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> HistoryPage:
    """Records newest first."""
    found = await queries.records_page(
        uow,
        customer_id=_visible_to(principal),
        after=RECORD_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = (
        RECORD_CURSOR.encode(PageKey(page[-1].created_at, page[-1].id))
        if len(found) > limit
        else None
    )
    return HistoryPage(items=[HistoryOut.of(record) for record in page], next_cursor=next_cursor)


@router.get(
    "/{record_id}",
    response_model=HistoryOut,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, HistoryNotFound),
)
async def get_record(reads: ReadPoolDep, principal: CurrentPrincipal, record_id: UUID) -> Response:
    """Read on the read pool and rendered from the row; ``response_model`` documents it."""
    row = await queries.read_record(reads, record_id, customer_id=_visible_to(principal))
    return record_response(row)
