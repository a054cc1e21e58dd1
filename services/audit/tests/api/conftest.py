"""Helpers of the HTTP tests: tokens, and the reads most tests make."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

EVENTS = "/audit/events"


def timeline_path(order_id: object) -> str:
    return f"/audit/orders/{order_id}/timeline"


class Api:
    """The audit API as an admin uses it; every helper checks its status."""

    def __init__(self, client: httpx.AsyncClient, admin: dict[str, str]) -> None:
        self.client = client
        self.admin = admin

    async def page(self, **params: Any) -> dict[str, Any]:
        response = await self.client.get(EVENTS, params=params, headers=self.admin)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    async def all_ids(self, **params: Any) -> list[str]:
        """The id of every event listed for ``params``, walking all pages."""
        ids: list[str] = []
        cursor = None
        for _ in range(1_000):
            page = await self.page(**params, **({"cursor": cursor} if cursor else {}))
            assert len(page["items"]) <= params.get("limit", 50)
            ids.extend(item["id"] for item in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                return ids
            assert page["items"], "a page with a next cursor must not be empty"
        raise AssertionError("pagination does not end")

    async def timeline(self, order_id: object) -> dict[str, Any]:
        response = await self.client.get(timeline_path(order_id), headers=self.admin)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def api(client: httpx.AsyncClient, admin: dict[str, str]) -> Api:
    return Api(client, admin)
