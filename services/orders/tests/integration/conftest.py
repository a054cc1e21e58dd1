"""Helpers of the service-layer tests: orders placed through the use case, prices faked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from bazaar_common.idempotency.claim import KeyPolicy
from bazaar_common.idempotency.rules import fingerprint
from bazaar_orders.domain.model import Order, RequestedLine
from bazaar_orders.entrypoints.schemas import render_order
from bazaar_orders.service_layer.placement import Placed, PlaceOrder, place_order

POLICY = KeyPolicy(lease=timedelta(seconds=30), retention=timedelta(hours=24))


def command(customer_id: str = "alice", key: str | None = None, **quantities: int) -> PlaceOrder:
    lines = [
        RequestedLine(sku.replace("_", "-"), n) for sku, n in (quantities or {"MUG_1": 2}).items()
    ]
    body: dict[str, Any] = {
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in lines],
        "card_token": "tok_visa",
    }
    return PlaceOrder(
        customer_id=customer_id,
        idempotency_key=key or str(uuid4()),
        fingerprint=fingerprint(body),
        lines=lines,
        card_token="tok_visa",
    )


@pytest.fixture
def make_command() -> Callable[..., PlaceOrder]:
    """``make_command(customer_id="alice", key=None, MUG_1=2)``."""
    return command


@pytest.fixture
def place(new_uow, fake_prices) -> Callable[..., Awaitable[Placed]]:
    """``await place(command, clock=None, policy=POLICY)`` through the real use case."""

    async def run(cmd: PlaceOrder | None = None, **options: Any) -> Placed:
        return await place_order(
            new_uow,
            fake_prices,
            cmd or command(),
            render=render_order,
            policy=options.pop("policy", POLICY),
            **options,
        )

    return run


@pytest.fixture
def placed_order(place, new_uow) -> Callable[..., Awaitable[Order]]:
    """``await placed_order(**options)``: a new PENDING order, read back from the database."""

    async def run(**options: Any) -> Order:
        placed = await place(**options)
        async with new_uow() as uow:
            order = await uow.orders.get(placed.response.order_id)
        assert order is not None
        return order

    return run
