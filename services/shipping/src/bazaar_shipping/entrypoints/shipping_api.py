"""HTTP routes of shipping records: admins make them, owners read them.

A customer sees their own records, an admin sees all. Another customer's
record is answered exactly as a missing one (OWASP API1, BOLA).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from bazaar_common.auth import AdminPrincipal, CurrentPrincipal, Principal
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    NEEDS_TOKEN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_shipping.adapters.repository import PageKey
from bazaar_shipping.domain.errors import ShippingNotFound
from bazaar_shipping.entrypoints.dependencies import UnitOfWorkDep
from bazaar_shipping.entrypoints.schemas import ShippingCreate, ShippingOut, ShippingPage
from bazaar_shipping.service_layer import queries, records

router = APIRouter(tags=["shipping"])
RECORD_CURSOR = KeysetCursor(PageKey)


def _visible_to(principal: Principal) -> str | None:
    """The customer whose records the caller may read; None for all of them."""
    return None if principal.is_admin else principal.subject


@router.post(
    "",
    response_model=ShippingOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*NEEDS_ADMIN, *TAKES_BODY, *USES_DATABASE),
)
async def create_record(uow: UnitOfWorkDep, _: AdminPrincipal, body: ShippingCreate) -> ShippingOut:
    record = await records.create(uow, body.customer_id)
    return ShippingOut.of(record)


@router.get(
    "",
    response_model=ShippingPage,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, InvalidCursor),
)
async def list_records(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> ShippingPage:
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
    return ShippingPage(items=[ShippingOut.of(record) for record in page], next_cursor=next_cursor)


@router.get(
    "/{record_id}",
    response_model=ShippingOut,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, ShippingNotFound),
)
async def get_record(
    uow: UnitOfWorkDep, principal: CurrentPrincipal, record_id: UUID
) -> ShippingOut:
    record = await queries.record_for(uow, record_id, customer_id=_visible_to(principal))
    return ShippingOut.of(record)
