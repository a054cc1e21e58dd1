"""HTTP routes of orders: customers place and act on their own, admins read all."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from bazaar_common.auth import CurrentPrincipal
from bazaar_common.errors import Forbidden, ProblemError
from bazaar_orders import crash_points
from bazaar_orders.adapters.order_repository import PagePosition
from bazaar_orders.crash_points import CrashPoint
from bazaar_orders.domain import errors
from bazaar_orders.domain.idempotency import fingerprint
from bazaar_orders.entrypoints.cursor import decode_cursor, encode_cursor
from bazaar_orders.entrypoints.dependencies import (
    IdempotencyKeyDep,
    PriceCatalogDep,
    SettingsDep,
    UnitOfWorkDep,
    UnitOfWorkFactoryDep,
)
from bazaar_orders.entrypoints.schemas import OrderOut, OrderPage, PlaceOrderIn, render_order
from bazaar_orders.service_layer import orders
from bazaar_orders.service_layer.orders import Viewer
from bazaar_orders.service_layer.placement import KeyPolicy, PlaceOrder, place_order

router = APIRouter(tags=["orders"])
JSON = "application/json"


def problems(*classes: type[ProblemError]) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses=`` of a route, from the errors it may raise."""
    documented: dict[int | str, dict[str, Any]] = {}
    for problem in classes:
        entry = documented.setdefault(
            problem.status, {"description": "", "content": {"application/problem+json": {}}}
        )
        entry["description"] = ", ".join(filter(None, [entry["description"], problem.code]))
    return documented


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderOut,
    responses=problems(
        errors.IdempotencyKeyMissing,
        errors.IdempotencyKeyInvalid,
        errors.IdempotencyKeyInUse,
        errors.IdempotencyKeyReused,
        errors.UnknownProducts,
        errors.MixedCurrencies,
        errors.InventoryUnavailable,
    ),
)
async def place(
    principal: CurrentPrincipal,
    key: IdempotencyKeyDep,
    body: PlaceOrderIn,
    new_uow: UnitOfWorkFactoryDep,
    prices: PriceCatalogDep,
    settings: SettingsDep,
) -> Response:
    """Place an order; a retry with the same `Idempotency-Key` replays the first answer."""
    placed = await place_order(
        new_uow,
        prices,
        PlaceOrder(
            customer_id=principal.subject,
            idempotency_key=key,
            fingerprint=fingerprint(body.model_dump(mode="json")),
            lines=[line.to_domain() for line in body.lines],
            card_token=body.card_token,
        ),
        render=render_order,
        policy=KeyPolicy(
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
            retention=timedelta(hours=settings.idempotency_key_retention_hours),
        ),
    )
    headers = {"Location": f"/orders/{placed.response.order_id}"}
    if placed.replayed:
        headers["Idempotent-Replayed"] = "true"
    else:
        crash_points.reached(CrashPoint.AFTER_ORDER_PLACED)
    return Response(
        placed.response.body,
        status_code=placed.response.status_code,
        media_type=JSON,
        headers=headers,
    )


@router.get("", response_model=OrderPage, responses=problems(Forbidden))
async def list_orders(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    customer_id: Annotated[
        str | None, Query(min_length=1, max_length=128, description="Admins only")
    ] = None,
) -> OrderPage:
    """Your orders, newest first; admins see everyone's and may filter by customer."""
    if principal.is_admin:
        scope = customer_id
    elif customer_id is None or customer_id == principal.subject:
        scope = principal.subject
    else:
        raise Forbidden("Only admins may list another customer's orders.")
    found = await orders.list_orders(
        uow,
        customer_id=scope,
        after=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        next_cursor = encode_cursor(PagePosition(page[-1].created_at, page[-1].id))
    return OrderPage(items=[OrderOut.of(order) for order in page], next_cursor=next_cursor)


@router.get("/{order_id}", response_model=OrderOut, responses=problems(errors.OrderNotFound))
async def get_order(uow: UnitOfWorkDep, principal: CurrentPrincipal, order_id: UUID) -> OrderOut:
    return OrderOut.of(await orders.get_order(uow, order_id, _viewer(principal)))


@router.post(
    "/{order_id}/cancel",
    response_model=OrderOut,
    responses=problems(errors.OrderNotFound, errors.OrderNotCancellable),
)
async def cancel_order(uow: UnitOfWorkDep, principal: CurrentPrincipal, order_id: UUID) -> OrderOut:
    """Cancel a pending order (stock released, payment refunded); cancelling twice is fine."""
    return OrderOut.of(await orders.cancel_order(uow, order_id, _viewer(principal)))


def _viewer(principal: CurrentPrincipal) -> Viewer:
    return Viewer(customer_id=principal.subject, is_admin=principal.is_admin)
