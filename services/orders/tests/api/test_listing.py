"""GET /orders: newest first, keyset pages with opaque cursors."""

from __future__ import annotations

import base64
import json


async def test_orders_are_listed_newest_first_across_pages(api, alice):
    placed = [(await api.placed(alice))["id"] for _ in range(7)]
    assert await api.list_ids(alice, limit=3) == list(reversed(placed))
    assert await api.list_ids(alice) == list(reversed(placed))


async def test_a_page_holds_full_orders_and_says_when_it_is_the_last(api, alice, client):
    order = await api.placed(alice, MUG_1=1)
    page = (await client.get("/orders", params={"limit": 1}, headers=alice)).json()
    assert page == {"items": [order], "next_cursor": None}


async def test_an_empty_listing(client, bob):
    response = await client.get("/orders", headers=bob)
    assert response.json() == {"items": [], "next_cursor": None}


async def test_a_tampered_cursor_is_refused(api, alice, client, expect_problem):
    for _ in range(3):
        await api.placed(alice)
    page = (await client.get("/orders", params={"limit": 1}, headers=alice)).json()
    cursor = page["next_cursor"]
    created_at, order_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for tampered in (
        cursor[:-2],
        cursor + "!!",
        _encode([created_at, "not-a-uuid"]),
        _encode(["yesterday", order_id]),
        _encode(["2026-12-01T10:00:00", order_id]),  # no time zone
        _encode([created_at, order_id, 1]),
        _encode({"t": created_at, "id": order_id}),
    ):
        response = await client.get("/orders", params={"cursor": tampered}, headers=alice)
        expect_problem(response, 422, "invalid-cursor")


def _encode(document) -> str:
    text = json.dumps(document, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
