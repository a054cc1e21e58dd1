"""The restore drill: Postgres back to a moment T under load, the bus replayed to T, reconciled.

While customers order through the gateway, T is picked; ordering goes on a
little, then every service stops and the one Postgres server holding all
their databases is restored to T from its base backup and archived WAL. What
the queues hold is thrown away (it includes events from after T), and the
bus archive's window up to T is replayed: the events in flight at T (marked
published in the restored outboxes, not yet in the restored inboxes) reach
their consumers again, the rest are duplicates the inboxes skip. The
services start again: the relays publish what the restored outboxes had not,
the sweeper cancels and compensates what was left pending. Then the queues
drain and every invariant of docs/reliability.md must hold across the
services, and what a customer saw confirmed before T must still be confirmed.

The window starts at the archive's start, before the base backup: an event
must be replayed if it was ingested before T and not yet handled at T, and
nothing bounds how long that can be (a failing handler keeps its message for
its visibility timeout, receive after receive, then the DLQ). Starting early
costs only duplicates, which the inboxes skip; starting late loses events
for good. It ends just before T: an event ingested before T was published by
a transaction committed before it, so its outbox row exists in the restored
history; one ingested at or after T may belong to a transaction the restore
undid. Ingestion times are whole milliseconds (rounded down), so events
ingested before T are those of [start, T - 1 ms].
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from aiobotocore.session import get_session
from tests.storefront import stocked_product

from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.testing.moto import REGION
from bazaar_devstack.cognito import access_token, add_user
from bazaar_devstack.invariants import Books, check_invariants, drain, queue_depths

CUSTOMERS = 6
PLENTY_UNITS = 10_000
SCARCE_UNITS = 6  # runs out early: later orders of it are cancelled out-of-stock
CONFIRMED_BEFORE_T = 8  # T is picked once customers have seen this many confirmed
ORDERING_AFTER_T_SECONDS = 2.0  # and at least ORDERS_AFTER_T orders placed after T
ORDERS_AFTER_T = 3
READY_WITHIN_SECONDS = 180
DECLINED_EVERY = 5  # every fifth order of a customer pays with a card that is declined


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Placed:
    """One order as its customer saw it, with the wall-clock times they saw it."""

    customer: str
    order_id: str
    sent_at: datetime
    answered_at: datetime
    confirmed_seen_at: datetime | None = None
    last_seen: str | None = None


class Customers:
    """Customers ordering in a loop through the gateway, each waiting for one order to settle."""

    def __init__(self, http: httpx.AsyncClient, skus: list[str]) -> None:
        self.http = http
        self.skus = skus
        self.placed: list[Placed] = []
        self.stop = asyncio.Event()
        self.enough_confirmed = asyncio.Event()
        self.confirmed = 0
        self.moment: datetime | None = None
        self.enough_after_moment = asyncio.Event()

    async def shop(self, name: str, headers: dict[str, str]) -> None:
        turn = 0
        while not self.stop.is_set():
            sku = self.skus[turn % len(self.skus)]
            body: dict[str, Any] = {"lines": [{"sku": sku, "quantity": 1 + turn % 2}]}
            if turn % DECLINED_EVERY == DECLINED_EVERY - 1:
                body["card_token"] = "tok_decline"
            turn += 1
            sent_at = now()
            response = await self.http.post(
                "/orders", json=body, headers={**headers, "Idempotency-Key": str(uuid4())}
            )
            assert response.status_code == 201, response.text
            placed = Placed(name, response.json()["id"], sent_at=sent_at, answered_at=now())
            self.placed.append(placed)
            if self.moment is not None:
                after = [order for order in self.placed if order.sent_at > self.moment]
                if len(after) >= ORDERS_AFTER_T:
                    self.enough_after_moment.set()
            await self.follow(placed, headers)

    async def follow(self, placed: Placed, headers: dict[str, str]) -> None:
        """Until the order settles (or ordering stops): when the customer saw it CONFIRMED."""
        while not self.stop.is_set():
            response = await self.http.get(f"/orders/{placed.order_id}", headers=headers)
            assert response.status_code == 200, response.text
            placed.last_seen = response.json()["status"]
            if placed.last_seen == "CONFIRMED":
                placed.confirmed_seen_at = now()
                self.confirmed += 1
                if self.confirmed >= CONFIRMED_BEFORE_T:
                    self.enough_confirmed.set()
                return
            if placed.last_seen == "CANCELLED":
                return
            await asyncio.sleep(0.05)


async def signed_in(stack, name: str, group: str) -> dict[str, str]:
    assert stack.identity is not None
    await add_user(stack.moto_url, REGION, stack.identity, name, group=group)
    token = await access_token(stack.moto_url, REGION, stack.identity, name)
    return {"Authorization": f"Bearer {token}"}


async def fetch(dsn: str, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn)
    try:
        return list(await connection.fetch(sql))
    finally:
        await connection.close()


async def purge_every_queue(stack) -> None:
    """Every service queue and DLQ emptied: what they hold includes events from after T."""
    assert stack.topology is not None
    session = get_session()
    async with session.create_client(
        "sqs", region_name=REGION, endpoint_url=stack.moto_url, config=CLIENT_CONFIG
    ) as sqs:
        for spec in stack.topology.queues:
            for name in (spec.queue_name, spec.dlq_name):
                url = (await sqs.get_queue_url(QueueName=name))["QueueUrl"]
                await sqs.purge_queue(QueueUrl=url)
    depths = await queue_depths(stack)
    assert not any(depths.values()), depths


async def unhandled_deliveries(stack, archive, moment: datetime) -> int:
    """Deliveries of events the bus took before the moment that no consumer's inbox holds.

    Read from the restored databases, it counts the events in flight at T,
    which only the replay brings back; after the drain it must be zero.
    """
    assert stack.topology is not None
    handled = {
        service: {
            str(row["event_id"])
            for row in await fetch(stack.dsn(service), "SELECT event_id FROM inbox")
        }
        for service in stack.entries
    }
    missing = 0
    for event in archive.window(archive.opened_at, before(moment)):
        for service in stack.topology.consumers_of(event.detail_type):
            missing += event.detail["id"] not in handled[service]
    return missing


async def unpublished_rows(stack) -> int:
    total = 0
    for service in stack.entries:
        rows = await fetch(stack.dsn(service), "SELECT id FROM outbox WHERE published_at IS NULL")
        total += len(rows)
    return total


def start_every_service(stack) -> None:
    """As ``Stack.start_all``: every process spawned at once, then each waited for in turn.

    Five services importing at once on a busy machine of two cores can take
    a minute to be ready: a wider bound than a single restart's, which still
    fails at once if a process exits.
    """
    for name in stack.services:
        stack.wait_unrouted(name)
    for process in stack.services.values():
        process.start()
    for process in stack.services.values():
        process.wait_ready(timeout=READY_WITHIN_SECONDS)
    for name in stack.services:
        stack.wait_routed(name)


def not_confirmed(seen: list[Placed], orders: dict[str, asyncpg.Record]) -> list[str]:
    return [
        order.order_id
        for order in seen
        if order.order_id not in orders or orders[order.order_id]["status"] != "CONFIRMED"
    ]


def before(moment: datetime) -> datetime:
    """The last whole millisecond before the moment: ingestion times are whole milliseconds."""
    return moment - timedelta(milliseconds=1)


async def customers_order_until_after(stack, pitr) -> tuple[Customers, datetime]:
    """Customers order; T once some were seen confirmed; they order on for a while; T."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30, limits=limits) as http:
        admin = await signed_in(stack, "drill-admin", "admins")
        skus = [
            await stocked_product(http, admin, units=PLENTY_UNITS, prefix="DRILL"),
            await stocked_product(http, admin, units=SCARCE_UNITS, prefix="DRILL"),
        ]
        customers = Customers(http, skus)
        shoppers = {
            f"drill-{n}": await signed_in(stack, f"drill-{n}", "customers")
            for n in range(CUSTOMERS)
        }
        await pitr.base_backup()  # before the load: the restore replays all of it from the WAL
        shopping = [
            asyncio.create_task(customers.shop(name, headers)) for name, headers in shoppers.items()
        ]
        try:
            async with asyncio.timeout(60):
                await customers.enough_confirmed.wait()
            picked = now()
            moment = picked.replace(microsecond=picked.microsecond // 1000 * 1000)  # whole ms
            customers.moment = moment
            async with asyncio.timeout(60):  # the load goes on after T, with orders placed
                await asyncio.gather(
                    asyncio.sleep(ORDERING_AFTER_T_SECONDS), customers.enough_after_moment.wait()
                )
        finally:
            customers.stop.set()
            await asyncio.gather(*shopping)
    return customers, moment


async def test_a_restore_to_t_keeps_what_customers_saw_confirmed_and_reconciles(
    pitr, stack, archive
):
    started = time.monotonic()
    customers, moment = await customers_order_until_after(stack, pitr)
    load_seconds = time.monotonic() - started

    # The WAL past T reaches the archive; everything stops; the server goes back to T.
    started = time.monotonic()
    await pitr.archive_current_wal()
    await asyncio.gather(*(asyncio.to_thread(stack.stop, name) for name in stack.services))
    archived = await archive.stop()
    await pitr.restore_to(moment)
    restore_seconds = time.monotonic() - started

    at_t = {str(row["id"]): row for row in await fetch(stack.dsn("orders"), "SELECT * FROM orders")}
    placed = customers.placed
    placed_after_t = [order for order in placed if order.sent_at > moment]
    lost = [order for order in placed if order.order_id not in at_t]
    seen_confirmed = [
        order
        for order in placed
        if order.confirmed_seen_at is not None and order.confirmed_seen_at < moment
    ]
    pending_at_t = {order_id for order_id, row in at_t.items() if row["status"] == "PENDING"}
    unpublished_at_t = await unpublished_rows(stack)
    in_flight_at_t = await unhandled_deliveries(stack, archive, moment)
    # It went back in time: every order placed after T is gone, none acknowledged before T is.
    assert placed_after_t, "no order was placed after T: the drill would prove nothing"
    assert not [order.order_id for order in placed_after_t if order.order_id in at_t]
    assert not [order.order_id for order in lost if order.answered_at < moment]
    assert not not_confirmed(seen_confirmed, at_t), "seen CONFIRMED before T, not so at T"

    # Reconcile: the queues hold events from after T; the bus archive has those before.
    started = time.monotonic()
    await purge_every_queue(stack)
    replayed = await archive.replay(archive.opened_at, before(moment))  # see the docstring
    await asyncio.to_thread(start_every_service, stack)
    await drain(stack)
    reconcile_seconds = time.monotonic() - started

    books = await Books.read(stack)
    check_invariants(books)
    orders = {str(order_id): row for order_id, row in books.orders.items()}
    assert not not_confirmed(seen_confirmed, orders), "seen CONFIRMED before T, not so now"
    assert await unhandled_deliveries(stack, archive, moment) == 0, "an event in flight at T lost"
    swept = [
        order_id for order_id in pending_at_t if orders[order_id]["cancel_reason"] == "step-timeout"
    ]
    outcomes = Counter(
        f"{row['status']}/{row['cancel_reason']}" if row["cancel_reason"] else row["status"]
        for row in orders.values()
    )
    print(
        f"\nrestore drill: {len(placed)} orders placed in {load_seconds:.1f} s; "
        f"{len(seen_confirmed)} seen CONFIRMED before T, all still CONFIRMED; "
        f"{len(lost)} lost with the restore ({len(placed_after_t)} placed after T, "
        f"{len(lost) - len(placed_after_t)} placed before T and acknowledged after it); "
        f"{len(pending_at_t)} PENDING at T, {len(swept)} of them cancelled by the sweeper; "
        f"at T {unpublished_at_t} outbox rows unpublished and {in_flight_at_t} deliveries in "
        f"flight; {replayed} of {archived} archived events replayed; "
        f"restore {restore_seconds:.1f} s, reconciliation {reconcile_seconds:.1f} s; "
        f"orders now {dict(sorted(outcomes.items()))}"
    )
