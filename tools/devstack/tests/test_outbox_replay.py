"""After moto lost its messages, the outbox rows published since it started go out again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.messaging.outbox import NOTIFY_CHANNEL
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.testing.database import plain_dsn
from bazaar_devstack.outbox_replay import republish_everywhere, republish_since

STARTED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def outbox_database(create_test_database: Callable[[str], Awaitable[str]], name: str) -> str:
    url = await create_test_database(name)
    metadata = MetaData()
    add_messaging_tables(metadata)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()
    return plain_dsn(url)


async def add_rows(dsn: str, published: list[datetime | None]) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for at in published:
            await connection.execute(
                "INSERT INTO outbox (id, type, subject, envelope, published_at)"
                " VALUES ($1, 'Thing', 's', '{}', $2)",
                uuid4(),
                at,
            )
    finally:
        await connection.close()


async def unpublished(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(
            await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        )
    finally:
        await connection.close()


async def test_rows_published_since_the_start_are_unpublished_and_the_relay_is_woken(
    create_test_database,
):
    dsn = await outbox_database(create_test_database, "replay_since")
    before, after = STARTED - timedelta(seconds=1), STARTED + timedelta(seconds=1)
    await add_rows(dsn, [before, STARTED, after, None])
    listener = await asyncpg.connect(dsn)
    woken = asyncio.Event()
    await listener.add_listener(NOTIFY_CHANNEL, lambda *_: woken.set())
    try:
        replayed = await republish_since(dsn, STARTED)
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        await listener.close()
    assert replayed == 2, "the row at the start and the one after; not the older one"
    assert await unpublished(dsn) == 3, "those two and the one never published"


async def test_every_database_is_replayed(create_test_database):
    first = await outbox_database(create_test_database, "replay_first")
    second = await outbox_database(create_test_database, "replay_second")
    await add_rows(first, [STARTED])
    await add_rows(second, [STARTED, STARTED + timedelta(minutes=1)])
    assert await republish_everywhere([first, second], STARTED) == 3
