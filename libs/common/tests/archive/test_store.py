"""The archive on a real S3 API (moto): written once, read by window and type, each event once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.testing.archive import archived_event, put_as_one_batch

T0 = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)


def archived(hours: float, event_type: str = "OrderPlaced") -> ArchivedEvent:
    return archived_event(T0 + timedelta(hours=hours), event_type)


async def test_a_batch_is_written_once_and_a_second_write_leaves_the_first(archive_store):
    first = archived(0)
    key = await put_as_one_batch(archive_store, first)

    assert not await archive_store.put_batch(key, [first, archived(0.5)])

    assert await archive_store.read(key) == [first]


async def test_a_key_that_is_not_a_batch_key_is_refused(archive_store):
    with pytest.raises(ValueError, match="not an archive batch key"):
        await archive_store.put_batch("events/loose.json", [archived(0)])

    assert [key async for key in archive_store.batch_keys()] == []


async def test_events_are_read_by_time_window_across_days(archive_store):
    # 22:00 and 23:30 on the 6th, 00:30 and 03:00 on the 7th.
    on_the_sixth = [archived(0), archived(1.5)]
    on_the_seventh = [archived(2.5), archived(5)]
    await put_as_one_batch(archive_store, *on_the_sixth)
    await put_as_one_batch(archive_store, *on_the_seventh)

    window = [
        event.envelope.id
        async for event in archive_store.events(
            since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=5)
        )
    ]
    everything = [event async for event in archive_store.events()]

    assert window == [on_the_sixth[1].envelope.id, on_the_seventh[0].envelope.id]
    assert everything == on_the_sixth + on_the_seventh


async def test_events_are_read_by_type(archive_store):
    placed, confirmed = archived(0), archived(0.1, "OrderConfirmed")
    await put_as_one_batch(archive_store, placed)
    await put_as_one_batch(archive_store, confirmed)

    chosen = [event async for event in archive_store.events(types=["OrderConfirmed"])]

    assert chosen == [confirmed]


async def test_an_event_in_two_batches_is_read_once(archive_store):
    # A database restored to before a batch's claim writes its events again, under another key.
    shared, earlier = archived(0), archived(-0.2)
    await put_as_one_batch(archive_store, shared)
    await put_as_one_batch(archive_store, earlier, shared)

    assert [event async for event in archive_store.events()] == [earlier, shared]
