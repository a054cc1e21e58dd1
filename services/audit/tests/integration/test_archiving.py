"""The archive writer on real Postgres and a real S3 API: every stored event archived once.

Crashes are cut in at each step between the claim and the queue's delete;
the next flush must leave the archive holding each event exactly once.
"""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from sqlalchemy import text

from bazaar_audit.service_layer.archiving import ArchiveWriter
from bazaar_common.archive import layout
from bazaar_common.archive.store import ArchiveStore


def writer(new_uow, store, *, max_events: int = 1_000) -> ArchiveWriter:
    return ArchiveWriter(new_uow, store, max_events=max_events, interval_seconds=0.05)


async def archived_ids(store: ArchiveStore) -> list[str]:
    """Every event id in every object, repeats included."""
    ids = []
    async for key in store.batch_keys():
        ids += [str(event.envelope.id) for event in await store.read(key)]
    return sorted(ids)


async def queue_depth(db) -> int:
    async with db.engine.connect() as connection:
        return (await connection.execute(text("SELECT count(*) FROM archive_pending"))).scalar()


class StoreThatDiesAfterWriting(ArchiveStore):
    async def put_batch(self, key, events) -> bool:
        await super().put_batch(key, events)
        raise ConnectionError("the writer died after the object landed")


class StoreThatIsDown(ArchiveStore):
    async def put_batch(self, key, events) -> bool:
        raise ConnectionError("S3 unreachable")


def an_order(envelopes, *, at: float = 0.0):
    order_id = uuid4()
    placed = envelopes("OrderPlaced", order_id, at=at)
    reserve = envelopes("ReserveStock", order_id, at=at + 0.1, cause=placed)
    reserved = envelopes("StockReserved", order_id, at=at + 0.2, cause=reserve)
    return [placed, reserve, reserved]


async def test_every_stored_event_is_archived_in_its_day_and_type(
    store, new_uow, archive_store, envelopes, db
):
    events = an_order(envelopes) + an_order(envelopes, at=86_400.0)  # the next day too
    await store(*events)

    written = await writer(new_uow, archive_store).flush()

    assert written == len(events)
    assert await archived_ids(archive_store) == sorted(str(event.id) for event in events)
    for key in [key async for key in archive_store.batch_keys()]:
        for archived in await archive_store.read(key):
            assert key.startswith(
                layout.partition_prefix(
                    layout.day_of(archived.envelope.time), archived.envelope.type
                )
            )
    assert await queue_depth(db) == 0


async def test_an_archived_event_is_what_the_store_holds(
    store, new_uow, archive_store, envelopes, db
):
    (placed,) = an_order(envelopes)[:1]
    await store(placed)

    await writer(new_uow, archive_store).flush()

    ((archived,),) = [await archive_store.read(key) async for key in archive_store.batch_keys()]
    (row,) = await db.event_rows()
    assert archived.envelope == placed
    assert archived.received_at == row["received_at"]


async def test_a_redelivered_event_is_archived_once(deliver, new_uow, archive_store, envelopes):
    placed = envelopes("OrderPlaced", uuid4())
    await deliver(placed)
    await deliver(placed)

    await writer(new_uow, archive_store).flush()
    await deliver(placed)
    await writer(new_uow, archive_store).flush()

    assert await archived_ids(archive_store) == [str(placed.id)]


async def test_batches_hold_at_most_the_configured_number_of_events(
    store, new_uow, archive_store, envelopes
):
    placed = [envelopes("OrderPlaced", uuid4(), at=seconds) for seconds in range(7)]
    await store(*placed)

    await writer(new_uow, archive_store, max_events=3).flush()

    sizes = [len(await archive_store.read(key)) async for key in archive_store.batch_keys()]
    assert sorted(sizes) == [1, 3, 3]
    assert await archived_ids(archive_store) == sorted(str(event.id) for event in placed)


async def test_a_writer_that_died_after_claiming_loses_nothing(
    store, new_uow, archive_store, envelopes, db
):
    events = an_order(envelopes)
    await store(*events)
    async with new_uow() as uow:
        await uow.archive.claim(1_000)
        await uow.commit()  # ...and the writer died before writing

    await store(*an_order(envelopes, at=5.0))
    await writer(new_uow, archive_store).flush()

    assert len(await archived_ids(archive_store)) == 6
    assert await queue_depth(db) == 0


async def test_a_writer_that_died_after_writing_archives_nothing_twice(
    store, new_uow, archive_store, envelopes, db
):
    events = an_order(envelopes)
    await store(*events)
    dying = StoreThatDiesAfterWriting(archive_store._s3, archive_store.bucket)

    with pytest.raises(ConnectionError):
        await writer(new_uow, dying).flush()
    assert await queue_depth(db) == len(events)  # the delete never happened
    await writer(new_uow, archive_store).flush()

    assert await archived_ids(archive_store) == sorted(str(event.id) for event in events)
    assert await queue_depth(db) == 0


async def test_while_s3_is_down_events_stay_queued(store, new_uow, archive_store, envelopes, db):
    events = an_order(envelopes)
    await store(*events)
    down = StoreThatIsDown(archive_store._s3, archive_store.bucket)

    with pytest.raises(ConnectionError):
        await writer(new_uow, down).flush()

    assert await queue_depth(db) == len(events)
    assert await writer(new_uow, archive_store).flush() == len(events)


async def test_two_writers_at_once_archive_each_event_once(
    store, new_uow, archive_store, envelopes, db
):
    events = [event for at in range(0, 40, 2) for event in an_order(envelopes, at=float(at))]
    await store(*events)

    await asyncio.gather(
        writer(new_uow, archive_store, max_events=7).flush(),
        writer(new_uow, archive_store, max_events=7).flush(),
    )

    assert await archived_ids(archive_store) == sorted(str(event.id) for event in events)
    assert await queue_depth(db) == 0


async def test_the_running_writer_archives_within_its_interval(
    store, new_uow, archive_store, envelopes
):
    running = writer(new_uow, archive_store)
    task = asyncio.create_task(running.run())
    try:
        events = an_order(envelopes)
        await store(*events)
        async with asyncio.timeout(10):
            while len(await archived_ids(archive_store)) < len(events):
                await asyncio.sleep(0.05)
    finally:
        running.stop()
        await task

    assert await archived_ids(archive_store) == sorted(str(event.id) for event in events)


async def test_the_lag_is_the_age_of_the_oldest_queued_event(
    store, new_uow, archive_store, envelopes
):
    archiving = writer(new_uow, archive_store)
    assert await archiving.lag_seconds() == 0.0
    await store(*an_order(envelopes))
    await asyncio.sleep(0.2)

    waiting = await archiving.lag_seconds()
    await archiving.flush()

    assert 0.2 <= waiting < 10
    assert await archiving.lag_seconds() == 0.0


async def test_a_stopped_writer_ends_its_flush_between_batches(
    store, new_uow, archive_store, envelopes, db
):
    await store(*[envelopes("OrderPlaced", uuid4(), at=float(at)) for at in range(6)])
    stopping = writer(new_uow, archive_store, max_events=2)
    stopping.stop()

    written = await stopping.flush()

    assert written == 0  # asked to stop before its first claim: nothing claimed
    assert await queue_depth(db) == 6
