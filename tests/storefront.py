"""A customer's and an admin's way through the gateway (or a load balancer) of a running stack.

What the container suites (tests/compose, tests/platform) do to see an order
through: a product with stock, an order, the order once settled. They reach
the system only by HTTP, with tokens from its Cognito.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import uuid4

import httpx

SETTLED = ("CONFIRMED", "CANCELLED")


async def stocked_product(
    http: httpx.AsyncClient, admin: dict[str, str], *, units: int, prefix: str
) -> str:
    """A new product's sku, with ``units`` in stock."""
    sku = f"{prefix}-{uuid4().hex[:8].upper()}"
    created = await http.post(
        "/inventory/products",
        json={
            "sku": sku,
            "name": f"Item {sku}",
            "price": {"amount_minor": 1_000, "currency": "EUR"},
        },
        headers={**admin, "Idempotency-Key": f"create-{sku}"},
    )
    assert created.status_code == 201, created.text
    restocked = await http.post(
        f"/inventory/products/{sku}/restock",
        json={"quantity": units},
        headers={**admin, "Idempotency-Key": f"restock-{sku}"},
    )
    assert restocked.status_code == 200, restocked.text
    return sku


async def settled(
    http: httpx.AsyncClient, order_id: str, who: dict[str, str], *, within: float = 60.0
) -> dict[str, Any]:
    """The order once CONFIRMED or CANCELLED; fails if still pending after ``within``."""
    deadline = time.monotonic() + within
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = await http.get(f"/orders/{order_id}", headers=who)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in SETTLED:
            return body
        await asyncio.sleep(0.5)
    raise AssertionError(f"order {order_id} still {body.get('status')} after {within:.0f} s")
