"""Helpers of the HTTP tests: tokens and the few calls most tests make."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

PRODUCTS = "/inventory/products"
RESERVATIONS = "/inventory/reservations"


class Api:
    """The inventory API as an admin uses it; every helper checks its status."""

    def __init__(self, client: httpx.AsyncClient, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin

    @property
    def keyed_admin(self) -> dict[str, str]:
        """The admin's headers with a new Idempotency-Key, as each new write needs."""
        return {**self.admin, "Idempotency-Key": str(uuid4())}

    @staticmethod
    def product_body(sku: str, /, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "sku": sku,
            "name": f"Product {sku}",
            "description": "",
            "price": {"amount_minor": 1000, "currency": "EUR"},
        }
        return {**body, **overrides}

    async def create_product(self, sku: str, *, units: int = 0, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            PRODUCTS, json=self.product_body(sku, **overrides), headers=self.keyed_admin
        )
        assert response.status_code == 201, response.text
        if units:
            await self.restock(sku, units)
        return response.json()

    async def restock(self, sku: str, quantity: int) -> dict[str, Any]:
        response = await self.client.post(
            f"{PRODUCTS}/{sku}/restock", json={"quantity": quantity}, headers=self.keyed_admin
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def stock(self, sku: str) -> dict[str, Any]:
        response = await self.client.get(f"{PRODUCTS}/{sku}/stock", headers=self.admin)
        assert response.status_code == 200, response.text
        return response.json()

    async def product(self, sku: str) -> dict[str, Any]:
        response = await self.client.get(f"{PRODUCTS}/{sku}")
        assert response.status_code == 200, response.text
        return response.json()

    async def reserve(self, order_id: UUID, **quantities: int) -> httpx.Response:
        lines = [{"sku": sku, "quantity": quantity} for sku, quantity in quantities.items()]
        return await self.client.post(
            RESERVATIONS, json={"order_id": str(order_id), "lines": lines}, headers=self.keyed_admin
        )

    async def list_skus(self, **params: Any) -> list[str]:
        """Every sku the catalog lists for ``params``, walking all pages."""
        skus: list[str] = []
        cursor = None
        for _ in range(1_000):
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = await self.client.get(PRODUCTS, params=query)
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page["items"]) <= params.get("limit", 20)
            skus.extend(item["sku"] for item in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                return skus
            assert page["items"], "a page with a next cursor must not be empty"
        raise AssertionError("pagination does not end")


@pytest.fixture
def api(client: httpx.AsyncClient, admin: dict[str, str]) -> Api:
    return Api(client, admin)
