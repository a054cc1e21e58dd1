"""The catalog cache seen from HTTP: validators, 304s, invalidation in and across processes.

The session app caches for ``catalog_cache_seconds`` (2 s by default); the
tests that need another process start a second app on the same database,
which hears the first one's writes only through Postgres NOTIFY.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.waiting import wait_until
from bazaar_contracts.fields import StockLine
from bazaar_contracts.orders import ReserveStock
from bazaar_inventory.catalog_cache.runtime import catalog_cache_of
from bazaar_inventory.main import create_app

from .conftest import PRODUCTS, Api

ProductUrl = Callable[[str], str]
OtherApp = Callable[..., AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]]


def product_url(sku: str) -> str:
    return f"{PRODUCTS}/{sku}"


@pytest.fixture
def other_app(settings_for) -> OtherApp:
    """``async with other_app(**settings) as (app, client)``: another process of the service."""

    @asynccontextmanager
    async def start(**overrides: object) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        app = create_app(settings_for(**overrides))
        async with running_app_client(app) as client:
            await wait_until(lambda: catalog_cache_of(app).serving, within=5)
            yield app, client

    return start


async def test_a_product_read_carries_a_stable_strong_etag_and_a_max_age(api, client, settings):
    await api.create_product("ETAG-1", units=3)

    first = await client.get(product_url("ETAG-1"))
    second = await client.get(product_url("ETAG-1"))

    assert first.status_code == second.status_code == 200
    assert first.headers["etag"].startswith('"')
    assert first.headers["etag"].endswith('"')
    assert second.headers["etag"] == first.headers["etag"]
    assert first.headers["cache-control"] == f"public, max-age={settings.catalog_cache_seconds}"
    assert (first.headers["x-cache-status"], second.headers["x-cache-status"]) == ("miss", "hit")
    assert second.json() == first.json()


async def test_a_matching_if_none_match_answers_304_with_the_same_headers(api, client):
    await api.create_product("ETAG-2")
    fresh = await client.get(PRODUCTS, params={"limit": 5})
    etag = fresh.headers["etag"]

    for condition in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        revalidated = await client.get(
            PRODUCTS, params={"limit": 5}, headers={"If-None-Match": condition}
        )
        assert revalidated.status_code == 304, condition
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag
        assert revalidated.headers["cache-control"] == fresh.headers["cache-control"]

    other = await client.get(PRODUCTS, params={"limit": 5}, headers={"If-None-Match": '"other"'})
    assert other.status_code == 200
    assert other.json() == fresh.json()


async def test_an_admin_write_gives_a_new_body_and_etag_at_once(api, client):
    await api.create_product("ETAG-3")
    before = await client.get(product_url("ETAG-3"))
    page_before = await client.get(PRODUCTS)
    assert (await client.get(product_url("ETAG-3"))).headers["x-cache-status"] == "hit"

    patched = await client.patch(product_url("ETAG-3"), json={"name": "Renamed"}, headers=api.admin)
    assert patched.status_code == 200, patched.text

    after = await client.get(
        product_url("ETAG-3"), headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert after.json()["name"] == "Renamed"
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["x-cache-status"] == "miss"
    page_after = await client.get(PRODUCTS)
    assert page_after.json()["items"][0]["name"] == "Renamed"
    assert page_after.headers["etag"] != page_before.headers["etag"]


async def test_a_reservation_by_the_consumer_drops_the_cached_stock(api, client, deliver):
    await api.create_product("RES-1", units=10)
    await api.create_product("RES-2", units=10)
    assert (await client.get(product_url("RES-1"))).json()["available"] == 10
    assert (await client.get(PRODUCTS)).headers["x-cache-status"] == "miss"
    assert (await client.get(product_url("RES-1"))).headers["x-cache-status"] == "hit"

    await deliver(
        ReserveStock(order_id=uuid4(), lines=(StockLine(sku="RES-1", quantity=4),)),
    )

    product = await client.get(product_url("RES-1"))
    assert (product.headers["x-cache-status"], product.json()["available"]) == ("miss", 6)
    page = await client.get(PRODUCTS)
    assert page.headers["x-cache-status"] == "miss"
    assert [item["available"] for item in page.json()["items"]] == [6, 10]


async def test_a_write_drops_only_the_entries_that_show_its_sku(api, client):
    for sku in ("SPAN-A", "SPAN-B", "SPAN-C"):
        await api.create_product(sku, units=1)
    first_page = {"limit": 1}
    await client.get(PRODUCTS, params=first_page)  # SPAN-A, then more
    await client.get(product_url("SPAN-A"))

    await api.restock("SPAN-C", 1)

    assert (await client.get(PRODUCTS, params=first_page)).headers["x-cache-status"] == "hit"
    assert (await client.get(product_url("SPAN-A"))).headers["x-cache-status"] == "hit"
    await api.restock("SPAN-A", 1)
    assert (await client.get(PRODUCTS, params=first_page)).headers["x-cache-status"] == "miss"


async def test_a_write_in_one_process_reaches_the_other_through_notify(api, other_app):
    await api.create_product("XPROC-1", units=5)
    # A TTL far beyond the wait below: only the NOTIFY can drop the entry in time.
    async with other_app(catalog_cache_seconds=120) as (_, other):
        assert (await other.get(product_url("XPROC-1"))).headers["x-cache-status"] == "miss"
        assert (await other.get(product_url("XPROC-1"))).headers["x-cache-status"] == "hit"

        await api.restock("XPROC-1", 2)  # through the session app, another engine and cache
        written = time.monotonic()

        async def other_sees_it() -> bool:
            return (await other.get(product_url("XPROC-1"))).json()["available"] == 7

        await wait_until(other_sees_it, within=2)
        assert time.monotonic() - written < 2


async def test_the_cache_is_bypassed_while_its_listen_connection_is_down(
    api, other_app, db
) -> None:
    await api.create_product("DOWN-1", units=5)
    async with other_app(catalog_cache_listen_retry_seconds=1.0) as (app, other):
        await other.get(product_url("DOWN-1"))
        assert (await other.get(product_url("DOWN-1"))).headers["x-cache-status"] == "hit"
        listener = app.state.catalog_cache_listener

        await db.scalar("SELECT pg_terminate_backend(:pid)", pid=listener.server_pid)
        await wait_until(lambda: not listener.listening, within=5)

        # Writes are not heard now, so nothing is served from the cache or kept in it.
        for _ in range(2):
            down = await other.get(product_url("DOWN-1"))
            assert down.headers["x-cache-status"] == "bypass"
            assert down.headers["etag"]
        await wait_until(lambda: listener.listening, within=5)
        assert (await other.get(product_url("DOWN-1"))).headers["x-cache-status"] == "miss"
        assert (await other.get(product_url("DOWN-1"))).headers["x-cache-status"] == "hit"


async def test_no_cache_skips_the_lookup_and_refreshes_the_entry(api, client):
    await api.create_product("NOCACHE-1")
    await client.get(product_url("NOCACHE-1"))
    await asyncio.sleep(1.05)
    aged = await client.get(product_url("NOCACHE-1"))
    assert (aged.headers["x-cache-status"], aged.headers["age"]) == ("hit", "1")

    refreshed = await client.get(product_url("NOCACHE-1"), headers={"Cache-Control": "no-cache"})
    assert refreshed.headers["x-cache-status"] == "bypass"
    assert "age" not in refreshed.headers

    again = await client.get(product_url("NOCACHE-1"))
    assert (again.headers["x-cache-status"], again.headers["age"]) == ("hit", "0")


async def test_an_entry_is_never_served_older_than_the_max_age(api, other_app):
    await api.create_product("TTL-1")
    async with other_app(catalog_cache_seconds=1) as (_, other):
        await other.get(product_url("TTL-1"))
        assert (await other.get(product_url("TTL-1"))).headers["age"] == "0"
        await asyncio.sleep(1.05)
        expired = await other.get(product_url("TTL-1"))
        assert expired.headers["x-cache-status"] == "miss"
        assert "age" not in expired.headers


async def test_the_cache_keeps_at_most_its_size_least_recently_used_out(api, other_app):
    for sku in ("LRU-1", "LRU-2", "LRU-3"):
        await api.create_product(sku)
    async with other_app(catalog_cache_entries=2) as (app, other):
        await other.get(product_url("LRU-1"))
        await other.get(product_url("LRU-2"))
        await other.get(product_url("LRU-1"))  # LRU-2 is now the least recently used
        await other.get(product_url("LRU-3"))

        assert len(catalog_cache_of(app)) == 2
        statuses = [
            (await other.get(product_url(sku))).headers["x-cache-status"]
            for sku in ("LRU-1", "LRU-3", "LRU-2")
        ]
        assert statuses == ["hit", "hit", "miss"]


async def test_hits_and_misses_are_counted(api, client, app):
    await api.create_product("COUNT-1")
    counts = catalog_cache_of(app).counts
    before = (counts.hits, counts.misses, counts.bypasses)

    for headers in ({}, {}, {}, {"Cache-Control": "no-cache"}):
        await client.get(product_url("COUNT-1"), headers=headers)

    assert (counts.hits, counts.misses, counts.bypasses) == (
        before[0] + 2,
        before[1] + 1,
        before[2] + 1,
    )


async def test_errors_are_not_cached(client, api: Api):
    missing = await client.get(product_url("LATER-1"))
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    await api.create_product("LATER-1")
    assert (await client.get(product_url("LATER-1"))).status_code == 200


async def test_the_openapi_document_declares_the_304_and_the_headers(client):
    document = (await client.get("/inventory/openapi.json")).json()
    for path in ("/inventory/products", "/inventory/products/{sku}"):
        responses = document["paths"][path]["get"]["responses"]
        assert "content" not in responses["304"]
        for status in ("200", "304"):
            assert {"ETag", "Cache-Control", "Age", "X-Cache-Status"} <= set(
                responses[status]["headers"]
            )
        parameters = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert "If-None-Match" in parameters
