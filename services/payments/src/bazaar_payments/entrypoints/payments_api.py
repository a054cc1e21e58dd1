"""HTTP routes of payments: reads only; the saga's commands come by events.

A customer sees their own payments, an admin sees all. Another customer's
payment is answered exactly as a missing one (OWASP API1, BOLA).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from bazaar_common.auth import CurrentPrincipal, Principal
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
    NEEDS_TOKEN,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_payments.adapters.payment_repository import PageKey, PaymentFilter
from bazaar_payments.domain.errors import PaymentNotFound
from bazaar_payments.entrypoints.dependencies import UnitOfWorkDep
from bazaar_payments.entrypoints.schemas import PaymentOut, PaymentPage
from bazaar_payments.service_layer import queries

router = APIRouter(tags=["payments"])
PAYMENT_CURSOR = KeysetCursor(PageKey)


def _visible_to(principal: Principal) -> str | None:
    """The customer whose payments the caller may read; None for all of them."""
    return None if principal.is_admin else principal.subject


@router.get(
    "",
    response_model=PaymentPage,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, InvalidCursor),
)
async def list_payments(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    order_id: Annotated[UUID | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> PaymentPage:
    """Payments newest first; ``order_id`` narrows them to that order's one."""
    found = await queries.payments_page(
        uow,
        PaymentFilter(customer_id=_visible_to(principal), order_id=order_id),
        after=PAYMENT_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = (
        PAYMENT_CURSOR.encode(PageKey(page[-1].created_at, page[-1].id))
        if len(found) > limit
        else None
    )
    return PaymentPage(items=[PaymentOut.of(payment) for payment in page], next_cursor=next_cursor)


@router.get(
    "/{payment_id}",
    response_model=PaymentOut,
    responses=problem_responses(*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, PaymentNotFound),
)
async def get_payment(
    uow: UnitOfWorkDep, principal: CurrentPrincipal, payment_id: UUID
) -> PaymentOut:
    payment = await queries.payment_for(uow, payment_id, customer_id=_visible_to(principal))
    return PaymentOut.of(payment)
