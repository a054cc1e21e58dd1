"""HTTP routes of orders: customers place and act on their own, admins read all.

The two reads answer from rows of the read pool rendered straight to JSON
(``order_rendering``); their ``response_model`` stays for the OpenAPI
document, which a returned ``Response`` leaves as it is.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from bazaar_common.auth import CurrentPrincipal
from bazaar_common.db.dependencies import ReadPoolDep
from bazaar_common.errors import Forbidden
from bazaar_common.http.cursor import CursorQuery, InvalidCursor, KeysetCursor
from bazaar_common.http.responses import (
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
from bazaar_common.idempotency.rules import fingerprint
from bazaar_orders.adapters.order_repository import PagePosition
from bazaar_orders.domain import errors
from bazaar_orders.entrypoints.dependencies import (
    PriceCatalogDep,
    UnitOfWorkDep,
    UnitOfWorkFactoryDep,
)
from bazaar_orders.entrypoints.order_rendering import order_page_response, order_response
from bazaar_orders.entrypoints.schemas import (
    CustomerId,
    OrderOut,
    OrderPage,
    PlaceOrderIn,
    render_order,
)
from bazaar_orders.service_layer import orders
from bazaar_orders.service_layer.orders import Viewer
from bazaar_orders.service_layer.placement import PlaceOrder, place_order

router = APIRouter(tags=["orders"])
JSON = "application/json"
ORDER_CURSOR = KeysetCursor(PagePosition)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderOut,
    responses=problem_responses(
        *NEEDS_TOKEN,
        *TAKES_BODY,
        *USES_DATABASE,
        *TAKES_IDEMPOTENCY_KEY,
        errors.UnknownProducts,
        errors.MixedCurrencies,
        errors.InventoryUnavailable,
    ),
)
async def place(
    principal: CurrentPrincipal,
    key: IdempotencyKey,
    body: PlaceOrderIn,
    new_uow: UnitOfWorkFactoryDep,
    prices: PriceCatalogDep,
    policy: IdempotencyPolicy,
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
        policy=policy,
    )
    headers = {"Location": f"/orders/{placed.response.order_id}"}
    if placed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        placed.response.body,
        status_code=placed.response.status_code,
        media_type=JSON,
        headers=headers,
    )


@router.get(
    "",
    response_model=OrderPage,
    responses=problem_responses(
        *NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, Forbidden, InvalidCursor
    ),
)
async def list_orders(
    reads: ReadPoolDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
    customer_id: Annotated[CustomerId | None, Query(description="Admins only")] = None,
) -> Response:
    """Your orders, newest first; admins see everyone's and may filter by customer."""
    if principal.is_admin:
        scope = customer_id
    elif customer_id is None or customer_id == principal.subject:
        scope = principal.subject
    else:
        raise Forbidden("Only admins may list another customer's orders.")
    found = await orders.read_order_page(
        reads,
        customer_id=scope,
        after=ORDER_CURSOR.decode(cursor) if cursor is not None else None,
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = page[-1][0]
        next_cursor = ORDER_CURSOR.encode(PagePosition(last["created_at"], last["id"]))
    return order_page_response(page, next_cursor)


@router.get(
    "/{order_id}",
    response_model=OrderOut,
    responses=problem_responses(
        *NEEDS_TOKEN, *TAKES_PARAMETERS, *USES_DATABASE, errors.OrderNotFound
    ),
)
async def get_order(reads: ReadPoolDep, principal: CurrentPrincipal, order_id: UUID) -> Response:
    return order_response(await orders.read_order(reads, order_id, _viewer(principal)))


@router.post(
    "/{order_id}/cancel",
    response_model=OrderOut,
    responses=problem_responses(
        *NEEDS_TOKEN,
        *TAKES_PARAMETERS,
        *USES_DATABASE,
        *TAKES_IDEMPOTENCY_KEY,
        errors.OrderNotFound,
        errors.OrderNotCancellable,
    ),
)
async def cancel_order(
    uow: UnitOfWorkDep,
    principal: CurrentPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    order_id: UUID,
) -> Response:
    """Cancel a pending order (stock released, payment refunded); cancelling twice is fine.

    A retry with the same `Idempotency-Key` replays the first answer.
    """

    async def cancel() -> OrderOut:
        return OrderOut.of(await orders.cancel_order(uow, order_id, _viewer(principal)))

    request = keyed(principal, key, {"order_id": str(order_id)})
    answer = await answer_once(uow, request, cancel, policy=policy, resource_id=order_id)
    return answer_response(answer)


def _viewer(principal: CurrentPrincipal) -> Viewer:
    return Viewer(customer_id=principal.subject, is_admin=principal.is_admin)
