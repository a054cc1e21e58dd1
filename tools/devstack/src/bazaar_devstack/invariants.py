"""The invariants of docs/reliability.md, checked across every service's database.

Read straight from the databases the services own, after the queues have
drained: what the services say over HTTP is checked by the tests themselves.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from aiobotocore.session import get_session

from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.testing.moto import REGION
from bazaar_devstack.stack import Stack

TERMINAL = {"CONFIRMED", "CANCELLED"}
State = tuple[str | None, str | None]
# (from_status, from_step) -> the (to_status, to_step) an order may move to.
VALID_MOVES: dict[State, set[State]] = {
    (None, None): {("PENDING", "reserving-stock")},
    ("PENDING", "reserving-stock"): {("PENDING", "capturing-payment"), ("CANCELLED", None)},
    ("PENDING", "capturing-payment"): {("CONFIRMED", None), ("CANCELLED", None)},
}


async def rows(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn)
    try:
        return list(await connection.fetch(sql, *args))
    finally:
        await connection.close()


async def queue_depths(stack: Stack) -> dict[str, int]:
    """Visible plus in-flight messages of every queue and DLQ of the stack."""
    depths: dict[str, int] = {}
    session = get_session()
    async with session.create_client(
        "sqs", region_name=REGION, endpoint_url=stack.moto_url, config=CLIENT_CONFIG
    ) as sqs:
        assert stack.topology is not None
        for spec in stack.topology.queues:
            for name in (spec.queue_name, spec.dlq_name):
                url = (await sqs.get_queue_url(QueueName=name))["QueueUrl"]
                attributes = (
                    await sqs.get_queue_attributes(
                        QueueUrl=url,
                        AttributeNames=[
                            "ApproximateNumberOfMessages",
                            "ApproximateNumberOfMessagesNotVisible",
                        ],
                    )
                )["Attributes"]
                depths[name] = int(attributes["ApproximateNumberOfMessages"]) + int(
                    attributes["ApproximateNumberOfMessagesNotVisible"]
                )
    return depths


async def unpublished(stack: Stack) -> int:
    total = 0
    for service in stack.entries:
        found = await rows(
            stack.dsn(service), "SELECT count(*) AS n FROM outbox WHERE published_at IS NULL"
        )
        total += found[0]["n"]
    return total


async def pending_orders(stack: Stack) -> int:
    found = await rows(
        stack.dsn("orders"), "SELECT count(*) AS n FROM orders WHERE status = 'PENDING'"
    )
    return int(found[0]["n"])


async def drain(stack: Stack, within: float = 60.0) -> None:
    """Until no order is pending, every outbox row is out and every queue is empty.

    Read upstream first (orders, outboxes, then queues), and quiet twice in a
    row: an event published just after its outbox was read, or a handler's
    reply written just after its queue was read, shows up in the second look.
    """
    deadline = time.monotonic() + within
    last: tuple[int, int, dict[str, int]] = (0, 0, {})
    quiet = 0
    while time.monotonic() < deadline:
        pending, out = await pending_orders(stack), await unpublished(stack)
        depths = await queue_depths(stack)
        last = (pending, out, depths)
        quiet = quiet + 1 if pending == 0 and out == 0 and not any(depths.values()) else 0
        if quiet == 2:
            return
        await asyncio.sleep(0.3)
    raise AssertionError(
        f"not drained in {within} s: pending orders {last[0]}, unpublished {last[1]}, "
        f"queues {last[2]}\n{stack.log_tails()}"
    )


@dataclass
class Books:
    """What every service holds, read once, for the checks below."""

    orders: dict[Any, asyncpg.Record]
    lines: list[asyncpg.Record]
    transitions: list[asyncpg.Record]
    stock: dict[str, asyncpg.Record]
    reservations: dict[Any, asyncpg.Record]
    payments: dict[Any, asyncpg.Record]
    shipments: list[asyncpg.Record]
    audit_ids: list[Any]
    # Every outbox row of every service: when it went out (None: not yet), by id.
    published_at: dict[str, datetime | None]

    @property
    def outbox_ids(self) -> list[str]:
        return list(self.published_at)

    @classmethod
    async def read(cls, stack: Stack) -> Books:
        orders_dsn = stack.dsn("orders")
        outbox = [
            row
            for service in stack.entries
            for row in await rows(stack.dsn(service), "SELECT id, published_at FROM outbox")
        ]
        return cls(
            orders={row["id"]: row for row in await rows(orders_dsn, "SELECT * FROM orders")},
            lines=await rows(orders_dsn, "SELECT * FROM order_lines"),
            transitions=await rows(
                orders_dsn, "SELECT * FROM order_transitions ORDER BY order_id, seq"
            ),
            stock={
                row["sku"]: row for row in await rows(stack.dsn("inventory"), "SELECT * FROM stock")
            },
            reservations={
                row["order_id"]: row
                for row in await rows(stack.dsn("inventory"), "SELECT * FROM reservations")
            },
            payments={
                row["order_id"]: row
                for row in await rows(stack.dsn("payments"), "SELECT * FROM payments")
            },
            shipments=await rows(stack.dsn("shipping"), "SELECT * FROM shipments"),
            audit_ids=[
                row["event_id"]
                for row in await rows(stack.dsn("audit"), "SELECT event_id FROM events")
            ],
            published_at={str(row["id"]): row["published_at"] for row in outbox},
        )


def check_invariants(books: Books) -> None:
    problems = [
        *orders_terminal(books),
        *stock_conserved(books),
        *money_and_stock_follow_the_order(books),
        *every_event_audited_once(books),
        *transitions_form_valid_paths(books),
        *shipments_follow_confirmations(books),
    ]
    assert not problems, "\n".join(problems)


def orders_terminal(books: Books) -> list[str]:
    """Invariant 1."""
    return [
        f"order {oid} is {o['status']}"
        for oid, o in books.orders.items()
        if o["status"] not in TERMINAL
    ]


def stock_conserved(books: Books) -> list[str]:
    """Invariant 2, and: nothing held once every order is terminal, sold = confirmed lines."""
    sold_by_orders: Counter[str] = Counter()
    for line in books.lines:
        if books.orders[line["order_id"]]["status"] == "CONFIRMED":
            sold_by_orders[line["sku"]] += line["quantity"]
    problems = []
    for sku, row in books.stock.items():
        counts = {name: row[name] for name in ("available", "reserved", "sold", "received")}
        if min(counts.values()) < 0:
            problems.append(f"{sku}: negative stock {counts}")
        if counts["available"] + counts["reserved"] + counts["sold"] != counts["received"]:
            problems.append(f"{sku}: units not conserved {counts}")
        if counts["reserved"] != 0:
            problems.append(f"{sku}: {counts['reserved']} units still reserved")
        if counts["sold"] != sold_by_orders[sku]:
            problems.append(f"{sku}: sold {counts['sold']}, confirmed lines {sold_by_orders[sku]}")
    return problems


def money_and_stock_follow_the_order(books: Books) -> list[str]:
    """Invariants 3 and 4: one capture of the total iff confirmed; nothing kept if cancelled."""
    problems = []
    for order_id, order in books.orders.items():
        payment = status_of(books.payments.get(order_id))
        reservation = status_of(books.reservations.get(order_id))
        if order["status"] == "CONFIRMED":
            if (
                payment != "captured"
                or books.payments[order_id]["amount_minor"] != order["total_minor"]
            ):
                problems.append(f"confirmed {order_id}: payment {payment}")
            if reservation != "committed":
                problems.append(f"confirmed {order_id}: reservation {reservation}")
        else:
            if payment == "captured":
                problems.append(f"cancelled {order_id}: a capture was never refunded")
            if reservation not in (None, "released"):
                problems.append(f"cancelled {order_id}: reservation {reservation}")
    for order_id, payment_row in books.payments.items():
        order_status = status_of(books.orders.get(order_id))
        if payment_row["status"] == "captured" and order_status != "CONFIRMED":
            problems.append(f"payment of {order_id} captured; the order is {order_status}")
    return problems


def every_event_audited_once(books: Books) -> list[str]:
    """Invariant 5: every outbox row was published and the audit stored it once."""
    audited, published = Counter(map(str, books.audit_ids)), Counter(map(str, books.outbox_ids))
    if audited == published:
        return []
    problems = []
    unpublished = [event for event, at in books.published_at.items() if at is None]
    twice = [event for event, count in audited.items() if count > 1]
    unknown = set(audited) - set(published)
    missing = set(published) - set(audited)
    for what, events in (
        ("not published", unpublished),
        ("audited twice", twice),
        ("audited but in no outbox", unknown),
        ("published but not audited", missing),
    ):
        if events:
            problems.append(f"{len(events)} events {what}: {sorted(events)[:5]}")
    return problems


def transitions_form_valid_paths(books: Books) -> list[str]:
    """Invariant 8: every order moved only along its state machine, never backwards."""
    paths: dict[Any, list[asyncpg.Record]] = {}
    for transition in books.transitions:
        paths.setdefault(transition["order_id"], []).append(transition)
    problems = []
    for order_id, order in books.orders.items():
        state: State = (None, None)
        for transition in paths.get(order_id, []):
            target = (transition["to_status"], transition["to_step"])
            if target not in VALID_MOVES.get(state, set()):
                problems.append(f"order {order_id}: invalid move {state} -> {target}")
            state = target
        if state != (order["status"], order["step"]):
            problems.append(
                f"order {order_id}: history ends at {state}, row says {order['status']}"
            )
    return problems


def shipments_follow_confirmations(books: Books) -> list[str]:
    """Invariant 9: one shipment per confirmed order, for its customer, and no other."""
    problems = []
    shipped = Counter(shipment["order_id"] for shipment in books.shipments)
    for shipment in books.shipments:
        order = books.orders.get(shipment["order_id"])
        if status_of(order) != "CONFIRMED":
            problems.append(f"shipment {shipment['id']}: its order is {status_of(order)}")
        elif order is not None and order["customer_id"] != shipment["customer_id"]:
            problems.append(f"shipment {shipment['id']}: not for the order's customer")
    for order_id, order in books.orders.items():
        if order["status"] == "CONFIRMED" and shipped[order_id] != 1:
            problems.append(f"confirmed {order_id}: {shipped[order_id]} shipments")
    return problems


def status_of(row: asyncpg.Record | None) -> str | None:
    return None if row is None else str(row["status"])
