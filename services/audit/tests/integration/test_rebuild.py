"""The audit store rebuilt from the archive into an empty database equals the live store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_audit import rebuild as rebuild_command
from bazaar_audit.rebuild import UsageError, rebuild
from bazaar_audit.service_layer.archiving import ArchiveWriter
from bazaar_audit.service_layer.comparison import compare_stores


@pytest.fixture
async def empty_database(create_test_database, request):
    url = await create_test_database(f"rebuilt_{request.node.name[:30]}")
    engine = create_async_engine(url)
    yield url, engine
    await engine.dispose()


async def archived_order(store, new_uow, archive_store, envelopes, *, at: float = 0.0):
    order_id = uuid4()
    placed = envelopes("OrderPlaced", order_id, at=at)
    events = [
        placed,
        envelopes("ReserveStock", order_id, at=at + 0.1, cause=placed),
        envelopes("OrderCancelled", order_id, at=at + 90_000.0, cause=placed),  # the next day
    ]
    await store(*events)
    await ArchiveWriter(new_uow, archive_store, max_events=2, interval_seconds=1).flush()
    return events


async def test_the_rebuilt_store_equals_the_live_one(
    store, new_uow, archive_store, envelopes, db, empty_database
):
    for at in (0.0, 30.0, 60.0):
        await archived_order(store, new_uow, archive_store, envelopes, at=at)
    _, into = empty_database

    rebuilt = await rebuild(archive_store, into)
    comparison = await compare_stores(db.engine, into, cutoff=datetime.now(UTC))

    assert rebuilt.events == 9
    assert comparison.equal, comparison.describe()
    assert comparison.compared == 9


async def test_an_event_missing_from_the_archive_is_named(
    store, new_uow, archive_store, envelopes, db, empty_database
):
    await archived_order(store, new_uow, archive_store, envelopes)
    lost = envelopes("OrderPlaced", uuid4())
    await store(lost)  # stored live, never archived
    _, into = empty_database
    await rebuild(archive_store, into)

    comparison = await compare_stores(db.engine, into, cutoff=datetime.now(UTC) + timedelta(1))

    assert not comparison.equal
    assert comparison.only_live == [str(lost.id)]
    assert str(lost.id) in comparison.describe()


async def test_events_received_after_the_cutoff_need_not_be_archived_yet(
    store, new_uow, archive_store, envelopes, db, empty_database
):
    await archived_order(store, new_uow, archive_store, envelopes)
    cutoff = datetime.now(UTC)
    await store(envelopes("OrderPlaced", uuid4()))  # still being archived
    _, into = empty_database
    await rebuild(archive_store, into)

    comparison = await compare_stores(db.engine, into, cutoff=cutoff)

    assert comparison.equal, comparison.describe()
    assert comparison.compared == 3


async def test_a_database_with_tables_is_refused_and_left_alone(
    archive_store, db, empty_database, store, envelopes
):
    await store(envelopes("OrderPlaced", uuid4()))

    with pytest.raises(UsageError, match="is not empty"):
        await rebuild(archive_store, db.engine)

    assert len(await db.event_rows()) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--into", "postgresql+asyncpg://x/y"], "give --bucket or set EVENT_ARCHIVE_BUCKET"),
        (["--into", "postgresql://x/y", "--bucket", "b-archive"], "use postgresql+asyncpg://"),
    ],
)
def test_the_command_refuses_what_it_cannot_use(arguments, message, capsys, monkeypatch):
    monkeypatch.delenv("EVENT_ARCHIVE_BUCKET", raising=False)

    assert rebuild_command.main(arguments) == 2
    assert message in capsys.readouterr().err
