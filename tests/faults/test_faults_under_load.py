"""Faults injected into the running system while customers order; every invariant after.

With two customers ordering continuously through the gateway: kill -9 of each
service at a random moment (the supervisor starts it again, as ECS and make
run do), Postgres restarted, moto restarted (the bus and queues recreated by
the bootstrap; what was in them is lost), and inventory paused past orders'
timeout for it (a slow downstream). Then the load stops, the queues drain,
and every invariant of docs/reliability.md must hold (what moto lost is
published again from the outboxes), no accepted order may
be lost or wait longer than the saga's bound plus the outages, and every
refusal the customers saw is problem+json, answered within the client's
timeout. The figures go to docs/reliability.md (printed with ``-s``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from tests.faults.conftest import STEP_TIMEOUT_SECONDS, SWEEP_INTERVAL_SECONDS, Supervised
from tests.faults.customers import REQUEST_TIMEOUT_SECONDS, Customers, Tally
from tests.faults.shop import lost_orders, sign_in, stock_up

from bazaar_common.testing.moto import MotoServer
from bazaar_common.testing.postgres import PostgresServer
from bazaar_common.testing.service_process import answers_200
from bazaar_devstack.invariants import Books, check_invariants, drain
from bazaar_devstack.stack import Stack

# Orders' read timeout for inventory is 2 s (with one retry): paused longer.
PAUSE_DOWNSTREAM_SECONDS = 6.0
RECOVERY_LIMIT_SECONDS = 90.0
# Two steps (reserve, capture), each cancelled at the latest one timeout and
# a sweep after it started, and a few seconds for the replies to travel.
SAGA_BOUND_SECONDS = 2 * (STEP_TIMEOUT_SECONDS + SWEEP_INTERVAL_SECONDS) + 5


@dataclass
class Fault:
    name: str
    recovered_in_seconds: float
    requests_failed: int  # answers other than 2xx the customers got meanwhile


async def until(check: Callable[[], bool], what: str, stack: Stack) -> None:
    deadline = time.monotonic() + RECOVERY_LIMIT_SECONDS
    while not await asyncio.to_thread(check):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what} not within {RECOVERY_LIMIT_SECONDS} s\n{stack.log_tails()}"
            )
        await asyncio.sleep(0.2)


async def every_service_serves(stack: Stack) -> None:
    for name, process in stack.services.items():
        ready = functools.partial(answers_200, process.url + "/readyz")
        await until(ready, f"{name} ready", stack)
        await asyncio.to_thread(stack.wait_routed, name, RECOVERY_LIMIT_SECONDS)


async def test_faults_under_load_leave_every_invariant_true(
    stack: Stack, supervised: Supervised, postgres: PostgresServer, bus_moto: MotoServer
):
    seed = int(os.environ.get("FAULTS_SEED", random.randrange(1_000_000)))
    chance = random.Random(seed)
    admin = await sign_in(stack, "ada", "admins")
    skus = await stock_up(stack, admin)
    tokens = [await sign_in(stack, f"buyer{n}", "customers") for n in range(2)]
    tally = Tally()
    customers = Customers(stack.gateway_url, tokens, skus, tally)
    load = asyncio.create_task(customers.run())
    faults: list[Fault] = []

    async def inject(
        name: str, act: Callable[[], object], recovered: Callable[[], Awaitable[None]]
    ) -> None:
        await asyncio.sleep(chance.uniform(1.0, 4.0))  # a random moment of the load
        started, failed_before = time.monotonic(), tally.failed_requests
        await asyncio.to_thread(act)
        await recovered()
        took = round(time.monotonic() - started, 1)
        faults.append(Fault(name, took, tally.failed_requests - failed_before))
        assert not load.done(), f"the customers stopped: {load.exception()!r}"

    await asyncio.sleep(3)
    for name in chance.sample(sorted(stack.services), len(stack.services)):
        process = stack.services[name]
        await inject(
            f"kill -9 {name}",
            functools.partial(os.kill, process.pid, signal.SIGKILL),
            lambda: every_service_serves(stack),
        )

    def restart_postgres() -> None:
        postgres.stop()
        postgres.start()

    await inject("Postgres restarted", restart_postgres, lambda: every_service_serves(stack))

    async def moto_back() -> None:
        await until(
            lambda: any(line.startswith("moto: restarted") for line in supervised.said),
            "moto restarted and bootstrapped",
            stack,
        )

    await inject(
        "moto killed (bus and queues lost)",
        lambda: os.kill(bus_moto.pid, signal.SIGKILL),
        moto_back,
    )

    inventory = stack.services["inventory"]

    def pause_inventory() -> None:
        os.kill(inventory.pid, signal.SIGSTOP)
        time.sleep(PAUSE_DOWNSTREAM_SECONDS)
        os.kill(inventory.pid, signal.SIGCONT)

    await inject(
        f"inventory paused {PAUSE_DOWNSTREAM_SECONDS:g} s (past orders' timeout)",
        pause_inventory,
        lambda: every_service_serves(stack),
    )

    await asyncio.sleep(3)
    customers.stop()
    await load
    await drain(stack, within=SAGA_BOUND_SECONDS * 4)
    books = await Books.read(stack)
    check_invariants(books)

    outage = sum(fault.recovered_in_seconds for fault in faults)
    waits = order_waits(books)
    report = {
        "seed": seed,
        "faults": [asdict(fault) for fault in faults],
        "customers": tally.summary(),
        "requests_failed": tally.failed_requests,
        "orders_accepted": len(tally.accepted),
        "orders_lost": lost_orders(tally, books),
        "longest_order_seconds": round(max(waits.values()), 1),
        "bound_seconds": round(SAGA_BOUND_SECONDS + outage, 1),
        "supervisor": supervised.said,
    }
    print("\nfaults under load:", json.dumps(report, indent=2))
    (stack.logs / "faults.json").write_text(json.dumps(report, indent=2))

    assert tally.accepted, "no order was accepted"
    assert report["orders_lost"] == []
    assert tally.abandoned == [], f"orders never accepted: {tally.summary()}"
    assert tally.not_problem_json == []
    assert "ReadTimeout" not in tally.answers, "a request hung past the client's timeout"
    assert tally.slowest_answer_seconds < REQUEST_TIMEOUT_SECONDS
    late = {oid: w for oid, w in waits.items() if w > SAGA_BOUND_SECONDS + outage}
    assert late == {}, f"orders over {SAGA_BOUND_SECONDS} s + {outage} s of outage"
    assert any("restarted" in line for line in supervised.said)


def order_waits(books: Books) -> dict[str, float]:
    """Seconds from each order's creation to its last transition (terminal, after drain)."""
    last_at = {row["order_id"]: row["at"] for row in books.transitions}
    return {
        str(oid): (last_at[oid] - order["created_at"]).total_seconds()
        for oid, order in books.orders.items()
        if oid in last_at
    }
