"""The inventory client against a real HTTP server on loopback: timeouts, retries, errors."""

from __future__ import annotations

import time

import pytest

from bazaar_common.testing.ports import free_port
from bazaar_orders.adapters.inventory_client import InventoryClientConfig, inventory_client
from bazaar_orders.domain.errors import InventoryUnavailable, UnknownProducts
from bazaar_orders.domain.model import Price

RETRIES = 2


def config(url: str, **overrides) -> InventoryClientConfig:
    values = {
        "base_url": url,
        "connect_timeout_seconds": 0.3,
        "read_timeout_seconds": 0.3,
        "retries": RETRIES,
        "retry_base_seconds": 0.01,
        **overrides,
    }
    return InventoryClientConfig(**values)


@pytest.fixture
def server(price_server):
    price_server.reset()
    price_server.set_price("MUG-1", 1_250)
    price_server.set_price("TEA-1", 400)
    price_server.set_price("USD-1", 900, "USD")
    yield price_server
    price_server.reset()


async def test_prices_of_distinct_skus_are_fetched_concurrently(server):
    # Each answer waits a little, so requests sent together overlap at the
    # server; counted there, not timed, which a busy machine would skew.
    server.delay_seconds = 0.2
    for n in range(10):
        server.set_price(f"SKU-{n}", n)
    async with inventory_client(config(server.url, read_timeout_seconds=5.0)) as client:
        prices = await client.prices_of([f"SKU-{n}" for n in range(10)] + ["SKU-1"])
    assert prices == {f"SKU-{n}": Price(n, "EUR") for n in range(10)}
    assert server.most_in_flight == 10, "all ten at once, not one after another"
    assert server.requests["SKU-1"] == 1


async def test_unknown_skus_are_named(server):
    async with inventory_client(config(server.url)) as client:
        with pytest.raises(UnknownProducts) as refused:
            await client.prices_of(["MUG-1", "NOPE-2", "NOPE-1"])
    assert refused.value.extensions["skus"] == ["NOPE-1", "NOPE-2"]
    assert server.requests["NOPE-1"] == 1  # a 404 is an answer: no retry


async def test_a_5xx_is_retried_until_it_succeeds(server):
    server.fail("MUG-1", 500, times=1)
    server.fail("TEA-1", 503, times=2)
    async with inventory_client(config(server.url)) as client:
        prices = await client.prices_of(["MUG-1", "TEA-1"])
        assert client.attempts == 2 + 3
    assert prices == {"MUG-1": Price(1_250, "EUR"), "TEA-1": Price(400, "EUR")}


async def test_retries_are_capped(server):
    server.fail("MUG-1", 500)
    async with inventory_client(config(server.url)) as client:
        with pytest.raises(InventoryUnavailable) as refused:
            await client.prices_of(["MUG-1"])
    assert server.requests["MUG-1"] == RETRIES + 1
    assert refused.value.status == 503
    assert refused.value.headers["Retry-After"]


async def test_no_retries_when_configured_so(server):
    server.fail("MUG-1", 502)
    async with inventory_client(config(server.url, retries=0)) as client:
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1"])
    assert server.requests["MUG-1"] == 1


async def test_a_slow_inventory_times_out_within_the_bounds(server):
    server.delay_seconds = 1.0
    async with inventory_client(config(server.url)) as client:
        started = time.monotonic()
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1"])
        elapsed = time.monotonic() - started
    assert server.requests["MUG-1"] == RETRIES + 1
    # Three attempts of at most 0.6 s (connect + read) and two short backoffs.
    assert elapsed < 3 * 0.6 + 0.5


async def test_a_hanging_inventory_times_out(server):
    server.hang = True
    async with inventory_client(config(server.url, retries=0)) as client:
        started = time.monotonic()
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1"])
    assert time.monotonic() - started < 1.0


async def test_a_refused_connection_is_retried_then_unavailable():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with inventory_client(config(url)) as client:
        started = time.monotonic()
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1"])
        assert client.attempts == RETRIES + 1
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (404, "<html>no such route</html>", "text/html"),  # a wrong INVENTORY_URL
        (404, '{"detail": "not found"}', "application/json"),
        (401, '{"type": "https://bazaar.dev/problems/unauthorized"}', "application/json"),
        (429, '{"type": "https://bazaar.dev/problems/too-many"}', "application/json"),
        (200, "not json", "text/plain"),
        (
            200,
            '{"sku": "MUG-1", "price": {"amount_minor": -1, "currency": "EUR"}}',
            "application/json",
        ),
        (
            200,
            '{"sku": "TEA-1", "price": {"amount_minor": 1, "currency": "EUR"}}',
            "application/json",
        ),
        (200, '{"sku": "MUG-1"}', "application/json"),
    ],
    ids=[
        "404-html",
        "404-not-a-problem",
        "401",
        "429",
        "not-json",
        "negative",
        "other-sku",
        "no-price",
    ],
)
async def test_answers_that_are_no_price_are_an_outage_and_not_retried(
    server, status, body, content_type
):
    server.answer("MUG-1", status, body, content_type)
    async with inventory_client(config(server.url)) as client:
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1"])
    assert server.requests["MUG-1"] == 1


async def test_an_outage_of_one_sku_fails_the_lookup_even_with_unknown_ones(server):
    server.fail("MUG-1", 500)
    async with inventory_client(config(server.url)) as client:
        with pytest.raises(InventoryUnavailable):
            await client.prices_of(["MUG-1", "NOPE-1"])
