"""HTTP routes of the order history: read only, since only events write it.

A customer reads their own orders, an admin everyone's. Another customer's
order is answered exactly as a missing one (OWASP API1, BOLA).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from bazaar_common.auth import CurrentPrincipal, Principal
from bazaar_common.errors import Forbidden
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
    NEEDS_TOKEN,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_history.adapters.repository import PageKey
from bazaar_history.domain.errors import OrderHistoryNotFound
from bazaar_history.domain.model import OrderState
from bazaar_history.entrypoints.dependencies import UnitOfWorkDep
from bazaar_history.entrypoints.schemas import CustomerId, OrderHistoryOut, OrderHistoryPage
from bazaar_history.service_layer import queries

router = APIRouter(tags=["history"])
ORDER_CURSOR = KeysetCursor(PageKey)
READ_RESPONSES = (*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE)


def _visible_to(principal: Principal) -> str | None:
    """The customer whose orders the caller may read; None for all of them."""
    return None if principal.is_admin else principal.subject


@router.get(
    "/orders",
    response_model=OrderHistoryPage,
    responses=problem_responses(*READ_RESPONSES, Forbidden, InvalidCursor),
)
async def list_orders(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
    customer_id: Annotated[CustomerId | None, Query(description="Admins only")] = None,
    state: Annotated[OrderState | None, Query(description="Only orders in this state")] = None,
) -> OrderHistoryPage:
    """Your orders, newest first; admins see everyone's and may filter by customer."""
    scope = _visible_to(principal)
    if scope is None:
        scope = customer_id
    elif customer_id not in (None, scope):
        raise Forbidden("Only admins may list another customer's orders.")
    found = await queries.order_history_page(
        uow,
        customer_id=scope,
        state=state,
        after=ORDER_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = (
        ORDER_CURSOR.encode(PageKey(page[-1].first_event_at, page[-1].order_id))
        if len(found) > limit
        else None
    )
    return OrderHistoryPage(
        items=[OrderHistoryOut.of(history) for history in page], next_cursor=next_cursor
    )


@router.get(
    "/orders/{order_id}",
    response_model=OrderHistoryOut,
    responses=problem_responses(*READ_RESPONSES, OrderHistoryNotFound),
)
async def get_order(
    uow: UnitOfWorkDep, principal: CurrentPrincipal, order_id: UUID
) -> OrderHistoryOut:
    """One order, its payment and its shipment: its owner's or an admin's to read."""
    history = await queries.order_history(uow, order_id, customer_id=_visible_to(principal))
    return OrderHistoryOut.of(history)
