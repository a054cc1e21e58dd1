"""After moto lost its messages, what some consumer has not handled is published again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.messaging.outbox import NOTIFY_CHANNEL
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.topology import QueueSpec, Topology
from bazaar_common.testing.database import plain_dsn
from bazaar_devstack.outbox_replay import republish_undelivered

STARTED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BEFORE, AFTER = STARTED - timedelta(seconds=1), STARTED + timedelta(seconds=1)


def queue(service: str, *types: str) -> QueueSpec:
    return QueueSpec(
        service=service,
        queue_name=f"t-{service}",
        dlq_name=f"t-{service}-dlq",
        rule_name=f"t-{service}",
        detail_types=types,
        max_receive_count=5,
        visibility_timeout_seconds=30,
    )


# orders publishes OrderConfirmed, which shipping and audit consume.
TOPOLOGY = Topology(
    bus_name="t",
    queues=(queue("shipping", "OrderConfirmed"), queue("audit", "OrderConfirmed")),
)


async def database(create_test_database: Callable[[str], Awaitable[str]], name: str) -> str:
    url = await create_test_database(name)
    metadata = MetaData()
    add_messaging_tables(metadata)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()
    return plain_dsn(url)


async def execute(dsn: str, query: str, *args: object) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(query, *args)
    finally:
        await connection.close()


async def published(dsn: str, at: datetime) -> UUID:
    event = uuid4()
    await execute(
        dsn,
        "INSERT INTO outbox (id, type, subject, envelope, published_at)"
        " VALUES ($1, 'OrderConfirmed', 's', '{}', $2)",
        event,
        at,
    )
    return event


async def handled(dsn: str, consumer: str, event: UUID) -> None:
    await execute(
        dsn,
        "INSERT INTO inbox (consumer, event_id, event_type, received_at)"
        " VALUES ($1, $2, 'OrderConfirmed', $3)",
        consumer,
        event,
        AFTER,
    )


async def unpublished(dsn: str) -> set[UUID]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch("SELECT id FROM outbox WHERE published_at IS NULL")
    finally:
        await connection.close()
    return {row["id"] for row in rows}


async def test_only_events_some_consumer_missed_since_the_start_go_out_again(
    create_test_database,
):
    databases = {
        name: await database(create_test_database, f"replay_{name}")
        for name in ("orders", "shipping", "audit")
    }
    orders = databases["orders"]
    old = await published(orders, BEFORE)  # before the lost server: not its to lose
    everywhere = await published(orders, AFTER)
    half = await published(orders, AFTER)
    nowhere = await published(orders, STARTED)
    for consumer in ("shipping", "audit"):
        await handled(databases[consumer], consumer, everywhere)
    await handled(databases["audit"], "audit", half)

    listener = await asyncpg.connect(orders)
    woken = asyncio.Event()
    await listener.add_listener(NOTIFY_CHANNEL, lambda *_: woken.set())
    try:
        replayed = await republish_undelivered(databases, TOPOLOGY, STARTED)
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        await listener.close()

    assert replayed == 2
    assert await unpublished(orders) == {half, nowhere}
    assert old not in await unpublished(orders)


async def test_nothing_missed_changes_nothing(create_test_database):
    databases = {
        name: await database(create_test_database, f"replay_none_{name}")
        for name in ("orders", "shipping", "audit")
    }
    event = await published(databases["orders"], AFTER)
    for consumer in ("shipping", "audit"):
        await handled(databases[consumer], consumer, event)
    assert await republish_undelivered(databases, TOPOLOGY, STARTED) == 0
    assert await unpublished(databases["orders"]) == set()
