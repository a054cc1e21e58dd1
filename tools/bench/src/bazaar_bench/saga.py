"""The saga, end to end: POST /orders until the order reads CONFIRMED.

Latency: one order at a time, so each measures the whole chain (placement,
relay, bus, queues, inventory's reservation, payments' capture, orders'
confirmation) unloaded. Throughput: several customers ordering as fast as
their orders settle, for a while; then the queues drain and every
invariant of docs/reliability.md must hold over all the stack stored.

The orders go to the orders workers (``BenchSystem.order_urls``), customer
by customer in turn, as a load balancer would spread them over the tasks.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from uuid import uuid4

import httpx

from bazaar_bench.system import ORDER_SKU, BenchSystem
from bazaar_devstack.invariants import Books, check_invariants, drain

TERMINAL = {"CONFIRMED", "CANCELLED"}


@dataclass
class Settled:
    latencies_s: list[float] = field(default_factory=list)
    confirmed: int = 0
    cancelled: int = 0


async def place_and_wait(http: httpx.AsyncClient, poll_seconds: float) -> tuple[str, float]:
    """One order: (its final status, seconds from sending the POST to reading it)."""
    started = time.perf_counter()
    placed = await http.post(
        "/orders",
        json={"lines": [{"sku": ORDER_SKU, "quantity": 1}]},
        headers={"Idempotency-Key": f"bench-saga-{uuid4()}"},
    )
    placed.raise_for_status()
    order_id = placed.json()["id"]
    while True:
        status = (await http.get(f"/orders/{order_id}")).json()["status"]
        if status in TERMINAL:
            return status, time.perf_counter() - started
        await asyncio.sleep(poll_seconds)


def _client(system: BenchSystem, number: int = 0) -> httpx.AsyncClient:
    """A customer's client, on the orders worker whose turn ``number`` is."""
    headers = {"Authorization": f"Bearer {system.customer}"}
    urls = system.order_urls()
    return httpx.AsyncClient(base_url=urls[number % len(urls)], headers=headers, timeout=30)


async def latency(system: BenchSystem, orders: int, poll_seconds: float = 0.005) -> Settled:
    settled = Settled()
    async with _client(system) as http:
        for _ in range(orders):
            status, seconds = await place_and_wait(http, poll_seconds)
            settled.latencies_s.append(seconds)
            settled.confirmed += status == "CONFIRMED"
            settled.cancelled += status == "CANCELLED"
    return settled


@dataclass
class Throughput:
    seconds: float
    customers: int
    workers: int  # processes per service
    settled: Settled
    drain_seconds: float
    invariants: str  # "hold", or what broke


async def throughput(
    system: BenchSystem, seconds: float, customers: int, poll_seconds: float = 0.1
) -> Throughput:
    settled = Settled()
    deadline = time.monotonic() + seconds

    async def customer(number: int) -> None:
        async with _client(system, number) as http:
            while time.monotonic() < deadline:
                status, took = await place_and_wait(http, poll_seconds)
                settled.latencies_s.append(took)
                settled.confirmed += status == "CONFIRMED"
                settled.cancelled += status == "CANCELLED"

    started = time.monotonic()
    await asyncio.gather(*(customer(number) for number in range(customers)))
    window = time.monotonic() - started
    draining = time.monotonic()
    await drain(system.running, within=300)
    drained = time.monotonic() - draining
    try:
        check_invariants(await Books.read(system.running))
        verdict = "hold"
    except AssertionError as broken:
        verdict = f"BROKEN: {broken}"
    workers = len(system.order_urls())
    print(
        f"saga throughput: {settled.confirmed / window:.1f} confirmed/s over {window:.0f} s "
        f"({customers} customers, {workers} workers a service), drained in {drained:.1f} s, "
        f"invariants {verdict[:80]}",
        file=sys.stderr,
        flush=True,
    )
    return Throughput(window, customers, workers, settled, drained, verdict)
