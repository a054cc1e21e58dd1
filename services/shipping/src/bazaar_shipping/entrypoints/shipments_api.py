"""HTTP routes of shipments: a customer reads their own, an admin reads all.

Shipments are made by the bus (a confirmed order), never over HTTP. Another
customer's shipment is answered exactly as a missing one (OWASP API1, BOLA).
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
from bazaar_shipping.adapters.repository import PageKey
from bazaar_shipping.domain.errors import ShipmentNotFound
from bazaar_shipping.entrypoints.dependencies import UnitOfWorkDep
from bazaar_shipping.entrypoints.schemas import ShipmentOut, ShipmentPage
from bazaar_shipping.service_layer import queries

router = APIRouter(tags=["shipments"])
SHIPMENT_CURSOR = KeysetCursor(PageKey)
READ_RESPONSES = (*NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE)


def _visible_to(principal: Principal) -> str | None:
    """The customer whose shipments the caller may read; None for all of them."""
    return None if principal.is_admin else principal.subject


@router.get(
    "/shipments",
    response_model=ShipmentPage,
    responses=problem_responses(*READ_RESPONSES, InvalidCursor),
)
async def list_shipments(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
) -> ShipmentPage:
    """Shipments newest first."""
    found = await queries.shipments_page(
        uow,
        customer_id=_visible_to(principal),
        after=SHIPMENT_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = (
        SHIPMENT_CURSOR.encode(PageKey(page[-1].created_at, page[-1].id))
        if len(found) > limit
        else None
    )
    return ShipmentPage(
        items=[ShipmentOut.of(shipment) for shipment in page], next_cursor=next_cursor
    )


@router.get(
    "/shipments/{shipment_id}",
    response_model=ShipmentOut,
    responses=problem_responses(*READ_RESPONSES, ShipmentNotFound),
)
async def get_shipment(
    uow: UnitOfWorkDep, principal: CurrentPrincipal, shipment_id: UUID
) -> ShipmentOut:
    shipment = await queries.shipment(uow, shipment_id, customer_id=_visible_to(principal))
    return ShipmentOut.of(shipment)


@router.get(
    "/orders/{order_id}/shipment",
    response_model=ShipmentOut,
    responses=problem_responses(*READ_RESPONSES, ShipmentNotFound),
)
async def get_order_shipment(
    uow: UnitOfWorkDep, principal: CurrentPrincipal, order_id: UUID
) -> ShipmentOut:
    """The shipment of an order: 404 until the order is confirmed, and for others' orders."""
    shipment = await queries.shipment_of_order(uow, order_id, customer_id=_visible_to(principal))
    return ShipmentOut.of(shipment)
