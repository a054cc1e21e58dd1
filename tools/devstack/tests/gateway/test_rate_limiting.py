"""A client over the limit gets 429 for the excess only; an exempt client is never limited.

Every local client is 127.0.0.1 unless it says otherwise: these clients bind
their own loopback addresses (127.0.0.2, 127.0.0.3; Linux routes all of
127/8 to lo), so the gateway sees them as different clients, as WAF sees
different IPs.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from bazaar_common.testing.problems import expect_problem
from bazaar_devstack.gateway.rate_limit import read_rate_limit

from .conftest import REPOSITORY_ROOT

pytestmark = pytest.mark.slow

LIMITED = "127.0.0.2"
EXEMPT = "127.0.0.3"
SMALL_LIMIT = 20


def _client(address: str, limits: httpx.Limits) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address, limits=limits)
    return httpx.AsyncClient(transport=transport, timeout=30)


# A connection per request, as conftest's client (a reload closes idle ones).
ONE_SHOT = httpx.Limits(max_keepalive_connections=0)


@pytest.fixture
async def limited() -> AsyncIterator[httpx.AsyncClient]:
    async with _client(LIMITED, ONE_SHOT) as client:
        yield client


@pytest.fixture
async def exempt() -> AsyncIterator[httpx.AsyncClient]:
    async with _client(EXEMPT, ONE_SHOT) as client:
        yield client


async def _burst(client: httpx.AsyncClient, url: str, count: int) -> list[httpx.Response]:
    """``count`` requests at once, GETs and POSTs alike (WAF counts every method)."""

    async def one(index: int) -> httpx.Response:
        if index % 2:
            return await client.post(url, json={"n": index})
        return await client.get(url)

    return await asyncio.gather(*(one(index) for index in range(count)))


def _expect_too_many(response: httpx.Response, retry_after: int) -> None:
    body = expect_problem(response, 429, "too-many-requests")
    assert body["title"] == "Too Many Requests"
    assert body["detail"] == f"More than {SMALL_LIMIT} requests from this address in 300 seconds."
    assert response.headers["retry-after"] == str(retry_after)


async def test_the_excess_of_a_burst_gets_429_and_retry_after_serves_again(
    start_gateway, inventory, limited, exempt
):
    limit = read_rate_limit(REPOSITORY_ROOT).with_requests(SMALL_LIMIT).with_exempt([EXEMPT])
    gateway = await start_gateway({"inventory": inventory.url}, rate_limit=limit)
    url = gateway.url + "/inventory/items"

    started = time.monotonic()
    responses = await _burst(limited, url, SMALL_LIMIT + 10)
    # One slot drains every 300 / 20 = 15 s: none did during the burst.
    assert time.monotonic() - started < limit.window_seconds / SMALL_LIMIT

    assert Counter(response.status_code for response in responses) == {200: SMALL_LIMIT, 429: 10}
    for response in responses:
        if response.status_code == 429:
            _expect_too_many(response, limit.retry_after_seconds)
    assert len(inventory.peer_ports) == SMALL_LIMIT  # the excess never reached the target

    # Another client is not this one: the exempt address is never counted.
    for _ in range(3):
        exempted = await _burst(exempt, url, SMALL_LIMIT + 10)
        assert {response.status_code for response in exempted} == {200}
    _expect_too_many(await limited.get(url), limit.retry_after_seconds)

    await asyncio.sleep(limit.retry_after_seconds)
    assert (await limited.get(url)).status_code == 200


async def _get_statuses(host: str, port: int, path: str, count: int, connections: int) -> Counter:
    """``count`` GETs over ``connections`` kept-alive sockets from LIMITED: thousands in seconds."""
    statuses: Counter[int] = Counter()
    remaining = iter(range(count))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port, local_addr=(LIMITED, 0))
        try:
            for _ in remaining:
                writer.write(f"GET {path} HTTP/1.1\r\nHost: gateway\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                statuses[int(head.split(b" ", 2)[1])] += 1
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                assert length, head
                await reader.readexactly(int(length.group(1)))
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return statuses


async def test_the_file_limit_lets_exactly_its_number_through_a_burst(start_gateway, inventory):
    limit = read_rate_limit(REPOSITORY_ROOT)
    gateway = await start_gateway({"inventory": inventory.url}, rate_limit=limit)
    excess = 200

    started = time.monotonic()
    statuses = await _get_statuses(
        gateway.client_host, gateway.settings.port, "/inventory/items", limit.requests + excess, 16
    )
    elapsed = time.monotonic() - started

    assert set(statuses) <= {200, 429}, statuses  # nothing else fails
    # The bucket holds the limit: the first `requests` to arrive all pass.
    # While the burst lasts it drains at the limit's rate (400 per minute,
    # rounded up to nginx's whole requests per minute), so a few more may
    # pass: at most that many, plus one slot for a drain that had begun.
    drained = math.ceil(limit.requests * 60 / limit.window_seconds) / 60 * elapsed
    assert limit.requests <= statuses[200] <= limit.requests + math.floor(drained) + 1, (
        statuses,
        elapsed,
    )
    assert statuses[429] == limit.requests + excess - statuses[200]
    # Seconds, so that bound is tight: a few dozen requests at most.
    assert elapsed < 20, elapsed
