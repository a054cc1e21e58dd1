"""Placing an order under an idempotency key (ADR 0007, "Placement").

Three steps, so no transaction stays open while inventory is called:
claim the key (a short transaction), look up the prices (none), then store
the order, its outbox rows and the key's response (one transaction). A
failure after the claim releases it, so the client's retry starts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_common.idempotency.claim import KeyedRequest, KeyPolicy, claim_key
from bazaar_common.idempotency.errors import IdempotencyKeyInUse
from bazaar_common.idempotency.rules import IdempotencyRecord, Replay, StoredResponse
from bazaar_common.messaging.ids import uuid7
from bazaar_orders.domain.model import Order, RequestedLine, check_lines
from bazaar_orders.service_layer import checkpoints
from bazaar_orders.service_layer.ports import PriceCatalog
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork

logger = logging.getLogger("bazaar.orders.placement")

CREATED = 201


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    customer_id: str
    idempotency_key: str
    fingerprint: str
    """Of the validated request, see ``bazaar_common.idempotency.rules.fingerprint``."""
    lines: Sequence[RequestedLine]
    card_token: str

    @property
    def keyed(self) -> KeyedRequest:
        return KeyedRequest(self.customer_id, self.idempotency_key, self.fingerprint)


@dataclass(frozen=True, slots=True)
class PlacedResponse:
    status_code: int
    body: str
    order_id: UUID

    @classmethod
    def of(cls, stored: StoredResponse) -> PlacedResponse:
        assert stored.resource_id is not None, "orders' keys always name their order"
        return cls(stored.status_code, stored.body, stored.resource_id)


@dataclass(frozen=True, slots=True)
class Placed:
    response: PlacedResponse
    replayed: bool


Renderer = Callable[[Order], str]
"""The created order as the JSON body of the response, stored with the key."""


async def place_order(
    new_uow: Callable[[], OrdersUnitOfWork],
    prices: PriceCatalog,
    command: PlaceOrder,
    *,
    render: Renderer,
    policy: KeyPolicy,
    clock: Clock = utc_now,
    new_order_id: Callable[[], UUID] = uuid7,
) -> Placed:
    check_lines(command.lines)
    claimed = await _claim(new_uow(), command, policy, clock)
    if isinstance(claimed, Replay):
        return Placed(PlacedResponse.of(claimed.response), replayed=True)
    assert claimed.lease_token is not None
    try:
        found = await prices.prices_of([line.sku for line in command.lines])
        async with new_uow() as uow:
            record = await uow.idempotency.get_leased(
                command.customer_id, command.idempotency_key, claimed.lease_token
            )
            if record is None:
                # Our lease ran out and another request took the key over.
                raise IdempotencyKeyInUse()
            now = clock()
            order = Order.place(
                new_order_id(),
                customer_id=command.customer_id,
                lines=command.lines,
                prices=found,
                card_token=command.card_token,
                now=now,
            )
            await uow.orders.add(order)
            response = StoredResponse(CREATED, render(order), order.id)
            await uow.idempotency.replace(
                record.completed(response, expires_at=now + policy.retention)
            )
            await uow.commit()
    except BaseException:
        # 503s and 422s are not stored: the client may retry with the same key.
        await _release(new_uow(), command, claimed.lease_token)
        raise
    checkpoints.passed(checkpoints.ORDER_PLACED)
    return Placed(PlacedResponse.of(response), replayed=False)


async def _claim(
    uow: OrdersUnitOfWork, command: PlaceOrder, policy: KeyPolicy, clock: Clock
) -> Replay | IdempotencyRecord:
    async with uow:
        claimed = await claim_key(uow.idempotency, command.keyed, policy, clock())
        await uow.commit()
    return claimed


async def _release(uow: OrdersUnitOfWork, command: PlaceOrder, lease_token: UUID) -> None:
    try:
        async with uow:
            await uow.idempotency.release(command.customer_id, command.idempotency_key, lease_token)
            await uow.commit()
    except Exception:
        # The lease runs out on its own; the first error is the one to report.
        logger.exception("could not release an idempotency key; its lease will lapse")
