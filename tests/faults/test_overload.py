"""Overload: a client over the gateway's rate limit gets 429; a full service sheds with 503.

The whole system as processes, the gateway limiting each client address as
the WAF's rate rule does, with the number from the one file both read. A
burst over the limit from one address: the excess gets 429 problem+json
with Retry-After and nothing else fails, for that client or for a customer
ordering from another address meanwhile. A service past MAX_IN_FLIGHT_REQUESTS
answers the excess 503 ``overloaded`` with Retry-After at once: no answer
waits anywhere near a client's timeout.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from tests.faults.shop import sign_in, stock_up

from bazaar_devstack.gateway.rate_limit import read_rate_limit
from bazaar_devstack.invariants import Books, check_invariants, drain
from bazaar_devstack.stack import Stack

# A customer on another loopback address: a client of its own to the limit.
OTHER_CLIENT = "127.0.0.3"
BURST_CONNECTIONS = 32
REFUSALS_WANTED = 200
# Payments serves this many requests at once in this stack; more are shed.
PAYMENTS_IN_FLIGHT = 4
SHED_BURST = 60


@pytest.fixture(scope="module")
async def overload_stack(new_stack: Callable[..., Stack]) -> AsyncIterator[Stack]:
    stack = new_stack(
        "ovl", service_runtime={"payments": {"MAX_IN_FLIGHT_REQUESTS": str(PAYMENTS_IN_FLIGHT)}}
    )
    async with stack.running():
        yield stack


async def burst(url: str, limit: int) -> tuple[Counter[int], list[httpx.Response]]:
    """GETs of ``url`` from one address, over a few kept-alive connections, until refused.

    It goes on past ``limit`` until REFUSALS_WANTED answers were 429 (or
    three times the limit was sent): on a loaded machine a burst is slower,
    and the bucket drains meanwhile (limit / window a second).
    """
    statuses: Counter[int] = Counter()
    refused: list[httpx.Response] = []
    sent = 0

    async def connection(http: httpx.AsyncClient) -> None:
        nonlocal sent
        while statuses[429] < REFUSALS_WANTED and sent < 3 * limit:
            sent += 1
            answer = await http.get(url)
            statuses[answer.status_code] += 1
            if answer.status_code != 200:
                refused.append(answer)

    limits = httpx.Limits(max_connections=BURST_CONNECTIONS)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(connection(http) for _ in range(BURST_CONNECTIONS)))
    return statuses, refused


async def test_a_burst_over_the_rate_limit_gets_429_and_nothing_else_fails(
    overload_stack: Stack, repository_root: Path
):
    stack = overload_stack
    limit = read_rate_limit(repository_root)
    admin = await sign_in(stack, "ada", "admins")
    [sku] = await stock_up(stack, admin, skus=1)
    buyer = await sign_in(stack, "bursty-neighbour", "customers")
    other = httpx.AsyncHTTPTransport(local_address=OTHER_CLIENT)
    async with httpx.AsyncClient(base_url=stack.gateway_url, transport=other, timeout=30) as http:
        started = time.monotonic()
        bursting = asyncio.create_task(
            burst(f"{stack.gateway_url}/inventory/products?limit=1", limit.requests)
        )
        placed = []
        while not bursting.done():
            placed.append(
                await http.post(
                    "/orders",
                    json={"lines": [{"sku": sku, "quantity": 1}]},
                    headers={"Authorization": f"Bearer {buyer}", "Idempotency-Key": str(uuid4())},
                )
            )
            await asyncio.sleep(0.5)  # a customer's pace, not a second burst
        statuses, refused = await bursting
        elapsed = time.monotonic() - started

    drained_meanwhile = limit.requests / limit.window_seconds * elapsed
    print(
        f"\nburst of {sum(statuses.values())} in {elapsed:.1f} s: {dict(statuses)}; "
        f"the other customer's orders: {len(placed)}, all 201"
    )
    assert set(statuses) == {200, 429}, statuses
    assert limit.requests <= statuses[200] <= limit.requests + drained_meanwhile + 1, statuses
    for answer in refused:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == str(limit.retry_after_seconds)
        assert answer.json()["status"] == 429
    assert placed, "the other customer ordered during the burst"
    assert [answer.status_code for answer in placed] == [201] * len(placed)
    await drain(stack)
    check_invariants(await Books.read(stack))


async def test_a_service_past_its_in_flight_limit_sheds_with_503_at_once(overload_stack: Stack):
    stack = overload_stack
    admin = await sign_in(stack, "ada", "admins")
    headers = {"Authorization": f"Bearer {admin}"}
    url = f"{stack.url('payments')}/payments?limit=50"  # the service itself
    slowest = 0.0

    async def one(http: httpx.AsyncClient) -> httpx.Response:
        nonlocal slowest
        started = time.monotonic()
        answer = await http.get(url, headers=headers)
        slowest = max(slowest, time.monotonic() - started)
        return answer

    limits = httpx.Limits(max_connections=SHED_BURST)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        answers = await asyncio.gather(*(one(http) for _ in range(SHED_BURST)))

    statuses = Counter(answer.status_code for answer in answers)
    print(
        f"\n{SHED_BURST} at once, {PAYMENTS_IN_FLIGHT} served at a time: {dict(statuses)}; "
        f"slowest {slowest:.2f} s"
    )
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] > 0, f"{SHED_BURST} at once past {PAYMENTS_IN_FLIGHT}: {statuses}"
    assert statuses[200] >= PAYMENTS_IN_FLIGHT
    for answer in answers:
        if answer.status_code == 503:
            assert answer.headers["retry-after"] == "1"
            assert answer.json()["type"].endswith("/overloaded")
    assert slowest < 5.0, "an overloaded service answers at once, never after a long wait"
