"""Outbox upkeep: pruning published rows and measuring the lag."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, update

from bazaar_common.testing.clock import FakeClock


async def age_rows(db, envelope, **columns_ago):
    """Sets timestamp columns to that long before the database's now()."""
    values = {name: func.now() - ago for name, ago in columns_ago.items()}
    async with db.engine.begin() as connection:
        await connection.execute(
            update(db.outbox).where(db.outbox.c.id == envelope.id).values(**values)
        )


async def test_prune_deletes_old_published_rows_and_never_unpublished_ones(
    db, publisher, relays, write_notes, outbox_rows
):
    old, recent, waiting = await write_notes(3)
    await age_rows(db, old, published_at=timedelta(days=8))
    await age_rows(db, recent, published_at=timedelta(days=1))
    await age_rows(db, waiting, created_at=timedelta(days=30))
    relay = relays.make(publisher, retention=timedelta(days=7))

    assert await relay.prune_published() == 1
    assert await relay.prune_published() == 0

    assert {row["id"] for row in await outbox_rows()} == {recent.id, waiting.id}


async def test_the_running_relay_prunes_at_most_once_per_interval(
    db, publisher, relays, write_notes, outbox_rows, wait_until, caplog
):
    clock = FakeClock()
    relay = relays.make(publisher, clock=clock, prune_interval_seconds=600)

    def pruned_count():
        return sum(record.getMessage() == "outbox pruned" for record in caplog.records)

    async def ids():
        return {row["id"] for row in await outbox_rows()}

    async def unpublished():
        return {row["id"] for row in await outbox_rows() if row["published_at"] is None}

    with caplog.at_level(logging.INFO, logger="bazaar.messaging.relay"):
        [old] = await write_notes()
        relays.start(relay)

        async def pruned_at_start():
            return pruned_count() == 1

        await wait_until(pruned_at_start)
        await age_rows(db, old, published_at=timedelta(days=8))

        [soon] = await write_notes()

        async def soon_published():
            return soon.id not in await unpublished()

        await wait_until(soon_published)
        assert old.id in await ids()  # not due yet

        clock.advance(601)
        await write_notes()

        async def old_pruned():
            return old.id not in await ids()

        await wait_until(old_pruned)
    assert pruned_count() == 2
    assert [r.pruned for r in caplog.records if r.getMessage() == "outbox pruned"] == [0, 1]


async def test_lag_is_the_age_of_the_oldest_unpublished_row(db, publisher, relays, write_notes):
    relay = relays.make(publisher)
    assert await relay.oldest_unpublished_age_seconds() is None

    older, _ = await write_notes(2)
    await age_rows(db, older, created_at=timedelta(seconds=5))
    lag = await relay.oldest_unpublished_age_seconds()
    assert lag is not None
    assert 5 <= lag < 60

    await relay.publish_pending()
    assert await relay.oldest_unpublished_age_seconds() is None
