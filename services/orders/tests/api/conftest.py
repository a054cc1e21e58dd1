"""Helpers of the HTTP tests: placing orders the way a client does."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest

ORDERS = "/orders"


class Api:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    @staticmethod
    def body(**quantities: int) -> dict[str, Any]:
        lines = quantities or {"MUG_1": 2}
        return {
            "lines": [
                {"sku": sku.replace("_", "-"), "quantity": quantity}
                for sku, quantity in lines.items()
            ]
        }

    async def place(
        self,
        who: dict[str, str],
        body: dict[str, Any] | None = None,
        *,
        key: str | None = None,
    ) -> httpx.Response:
        headers = {**who, "Idempotency-Key": key or str(uuid4())}
        return await self.client.post(ORDERS, json=body or self.body(), headers=headers)

    async def placed(self, who: dict[str, str], **quantities: int) -> dict[str, Any]:
        response = await self.place(who, self.body(**quantities))
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def get(self, who: dict[str, str], order_id: str) -> httpx.Response:
        return await self.client.get(f"{ORDERS}/{order_id}", headers=who)

    async def cancel(
        self, who: dict[str, str], order_id: str, *, key: str | None = None
    ) -> httpx.Response:
        headers = {**who, "Idempotency-Key": key or str(uuid4())}
        return await self.client.post(f"{ORDERS}/{order_id}/cancel", headers=headers)

    async def list_ids(self, who: dict[str, str], **params: Any) -> list[str]:
        """Every order id the listing shows ``who``, walking all pages."""
        ids: list[str] = []
        cursor = None
        for _ in range(1_000):
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = await self.client.get(ORDERS, params=query, headers=who)
            assert response.status_code == 200, response.text
            page = response.json()
            ids.extend(item["id"] for item in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                return ids
            assert page["items"], "a page with a next cursor must not be empty"
        raise AssertionError("pagination does not end")


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)
