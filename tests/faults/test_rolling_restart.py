"""A rolling restart under steady load fails no request and loses no order.

Every service runs two tasks behind the gateway, as in production
(``min_tasks_per_service`` is 2). One task at a time is stopped with SIGTERM
and started again, as an ECS deployment replaces tasks: it drains first
(``/readyz`` fails, it still serves, ``Connection: close``), the gateway's
health checks take it out, in-flight requests finish, it exits, the new
process starts and the gateway's checks put it back before the next task
goes. Meanwhile customers order and browse through the gateway without any
retry: every answer must be a success.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from tests.faults.customers import Customers, Tally
from tests.faults.shop import lost_orders, sign_in, stock_up

from bazaar_devstack.drain import drain_seconds
from bazaar_devstack.invariants import Books, check_invariants, drain
from bazaar_devstack.stack import Stack

TASKS = 2
# One customer, about an order a second: twelve processes share one moto,
# which spends CPU on every event in proportion to the depth of the queue it
# goes to (each send and each received message scans the whole queue). Two
# customers saturated it here: audit's queue (every event) grew from the
# first audit restart on and, slower the deeper it got, never drained.
BUYERS = 1
BROWSER_ADDRESS = "127.0.0.4"


@pytest.fixture(scope="module")
async def rolling_stack(new_stack: Callable[..., Stack]) -> AsyncIterator[Stack]:
    stack = new_stack("roll", tasks_per_service=TASKS)
    stack.runtime["DRAIN_SECONDS"] = str(drain_seconds(stack.gateway_health))
    # Orders reaches inventory's tasks through the gateway, as through Cloud
    # Map in AWS: any task that serves, not the one being restarted.
    stack.service_runtime["orders"] = {"INVENTORY_URL": stack.gateway_url}
    async with stack.running():
        yield stack


class Browser:
    """Reads through the gateway in a loop, counting every answer; no retries."""

    def __init__(self, stack: Stack, token: str, tally: Tally) -> None:
        self.stack, self.token, self.tally = stack, token, tally
        self.stopping = asyncio.Event()

    async def run(self) -> None:
        paths = [
            "/inventory/products",
            "/orders",
            "/payments",
            "/shipping/shipments",
            "/audit/events",
        ]
        headers = {"Authorization": f"Bearer {self.token}"}
        # From an address of its own: a client of its own to the rate limit.
        # No keep-alive, as the other clients of the local gateway: nginx
        # closes its idle client connections at each reload (a target's health
        # changed), and a request sent on one just then is lost; an ALB keeps
        # client connections whatever its targets do.
        transport = httpx.AsyncHTTPTransport(
            local_address=BROWSER_ADDRESS, limits=httpx.Limits(max_keepalive_connections=0)
        )
        async with httpx.AsyncClient(
            base_url=self.stack.gateway_url, transport=transport, timeout=10
        ) as http:
            turn = 0
            while not self.stopping.is_set():
                path = paths[turn % len(paths)]
                try:
                    answer = await http.get(path, headers=headers)
                    self.tally.answers[f"GET {answer.status_code}"] += 1
                    if answer.status_code >= 400:
                        self.tally.not_problem_json.append(f"GET {path}: {answer.status_code}")
                except httpx.TransportError as error:
                    self.tally.answers[f"GET {type(error).__name__}"] += 1
                turn += 1
                await asyncio.sleep(0.1)


async def settle_in_gateway(stack: Stack) -> None:
    """Long enough for the gateway's checks to pass a new target (healthy threshold + 1)."""
    health = stack.gateway_health
    await asyncio.sleep(
        (health.healthy_threshold + 1) * health.interval_seconds + health.timeout_seconds
    )


async def test_a_rolling_restart_of_every_service_fails_no_request(rolling_stack: Stack):
    stack = rolling_stack
    admin = await sign_in(stack, "ada", "admins")
    skus = await stock_up(stack, admin)
    buyers = [await sign_in(stack, f"roller{n}", "customers") for n in range(BUYERS)]
    orders, reads = Tally(), Tally()
    customers = Customers(stack.gateway_url, buyers, skus, orders)
    browser = Browser(stack, admin, reads)
    load = asyncio.gather(customers.run(), browser.run())
    await asyncio.sleep(2)

    restarted = []
    started = time.monotonic()
    for name in stack.entries:
        for task in stack.instances(name):
            status = await asyncio.to_thread(task.stop)
            await asyncio.to_thread(task.start().wait_ready)
            await settle_in_gateway(stack)
            restarted.append((name, task.port, status))
    took = time.monotonic() - started

    await asyncio.sleep(2)
    customers.stop()
    browser.stopping.set()
    await load
    await drain(stack)
    books = await Books.read(stack)
    check_invariants(books)

    print(
        f"\nrolling restart of {len(restarted)} tasks in {took:.0f} s: "
        f"orders {orders.summary()}; reads {dict(reads.answers)}"
    )
    assert len(restarted) == TASKS * len(stack.entries)
    assert orders.accepted, "no order was placed during the restart"
    assert orders.failed_requests == 0, orders.summary()
    assert all(status.startswith("GET 2") for status in reads.answers), dict(reads.answers)
    assert lost_orders(orders, books) == []
