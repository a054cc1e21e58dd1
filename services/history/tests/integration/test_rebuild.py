"""The history rebuilt from a real archive (S3 on moto) equals the one its consumer built live.

The archive is written as the audit service writes it (``ArchiveStore.put_batch``:
one batch per day and type, some events in two batches, as after a restore);
the live model gets the same events through its consumer's handling, shuffled,
some twice. The two ``order_history`` tables must be equal row for row.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from aiobotocore.session import get_session
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.archive import layout
from bazaar_common.archive.bucket import ensure_archive_bucket
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.ids import uuid7
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.moto import REGION
from bazaar_contracts.inventory import StockReserved
from bazaar_contracts.orders import ReserveStock
from bazaar_history import rebuild
from bazaar_history.adapters.tables import metadata

FLOWS = ["confirmed", "declined", "out_of_stock", "refunded", "voided"]
# Two seconds before midnight: each story's events lie in two days' partitions.
T0 = datetime(2030, 1, 1, 23, 59, 58, 123_456, tzinfo=UTC)
ROWS = "SELECT * FROM order_history ORDER BY order_id"


@pytest.fixture
async def archive(moto_server):
    """An archive bucket of the test's own on the moto server."""
    options = {"region_name": REGION, "endpoint_url": moto_server.url, "config": CLIENT_CONFIG}
    async with get_session().create_client("s3", **options) as s3:
        bucket = f"t{uuid4().hex[:12]}-event-archive"
        await ensure_archive_bucket(s3, bucket, REGION)
        yield ArchiveStore(s3, bucket)


async def write_archive(store: ArchiveStore, envelopes) -> None:
    """As audit's writer does: a batch per partition, and part of it again under another key."""
    partitions = defaultdict(list)
    for envelope in envelopes:
        archived = ArchivedEvent(envelope, received_at=envelope.time + timedelta(seconds=1))
        partitions[(layout.day_of(envelope.time), envelope.type)].append(archived)
    for (day, event_type), events in partitions.items():
        events.sort(key=lambda event: event.sort_key)
        for batch in (events, events[1:]) if len(events) > 1 else (events,):
            key = layout.batch_key(day, event_type, batch[0].envelope.id)
            assert await store.put_batch(key, batch)


@pytest.fixture
async def rebuilt_database(create_test_database):
    """An empty database to rebuild into, and raw reads of it once rebuilt."""
    url = await create_test_database("history_rebuilt")
    engine = create_async_engine(url, pool_size=1, max_overflow=0)
    yield url, RawDatabase(engine, metadata)
    await engine.dispose()


@pytest.fixture
def history_of(stories):
    """Envelopes of one story of each flow, for customers of their own, an hour apart."""

    def envelopes():
        told = []
        for hour, flow in enumerate(FLOWS):
            story = getattr(stories, flow)(uuid4(), f"customer-{flow}", T0 + timedelta(hours=hour))
            told.extend(stories.envelopes(story))
        return told

    return envelopes


def shuffled_with_copies(envelopes, seed: int):
    """Every envelope, some twice (the same message again, or sent again under a new id)."""
    chance = random.Random(seed)
    again = chance.sample(envelopes, len(envelopes) // 2)
    sent_again = [envelope.model_copy(update={"id": uuid7()}) for envelope in again[::2]]
    delivered = [*envelopes, *again, *sent_again]
    chance.shuffle(delivered)
    return delivered


async def test_the_history_rebuilt_from_the_archive_equals_the_live_one(
    deliver, db, archive, rebuilt_database, settings_for, moto_server, history_of, stories
):
    told = history_of()
    others = [  # types history does not consume: the rebuild reads past them
        stories.envelope(StockReserved.example(uuid4()), T0),
        stories.envelope(ReserveStock.example(uuid4()), T0),
    ]
    await write_archive(archive, [*told, *others])
    for envelope in shuffled_with_copies(told, seed=16):
        await deliver(envelope)
    url, rebuilt = rebuilt_database
    settings = settings_for(
        database_url=url, aws_endpoint_url=moto_server.url, event_archive_bucket=archive.bucket
    )

    report = await rebuild.rebuild_from_settings(settings, archive.bucket)

    assert report == rebuild.Rebuilt(read=len(told), applied=len(told), skipped=0, orders=5)
    live_rows = await db.rows(ROWS)
    assert len(live_rows) == 5
    assert await rebuilt.rows(ROWS) == live_rows


async def test_poison_in_the_archive_is_skipped_as_the_consumer_would(
    archive, rebuilt_database, settings_for, moto_server, stories
):
    good = stories.envelopes(stories.out_of_stock(uuid4(), "customer-1", T0))
    poison = good[0].model_copy(update={"id": uuid7(), "data": {"order_id": str(uuid4())}})
    await write_archive(archive, [*good, poison])
    url, rebuilt = rebuilt_database
    settings = settings_for(
        database_url=url, aws_endpoint_url=moto_server.url, event_archive_bucket=archive.bucket
    )

    report = await rebuild.rebuild_from_settings(settings, archive.bucket)

    assert (report.read, report.applied, report.skipped, report.orders) == (3, 2, 1, 1)
    assert await rebuilt.count("inbox") == 2


@pytest.fixture
def environment_of(monkeypatch, settings_for, moto_server):
    """``environment_of(database_url, bucket)``: the rebuild's variables, as a task has them."""

    def set_for(database_url: str, bucket: str | None) -> None:
        settings = settings_for(database_url=database_url)
        variables = {
            "ENVIRONMENT": "test",
            "DATABASE_URL": database_url,
            "AUTH_ISSUER": settings.auth_issuer,
            "AUTH_CLIENT_IDS": ",".join(settings.auth_client_ids),
            "AWS_ENDPOINT_URL": moto_server.url,
            "AWS_REGION": REGION,
            "LOG_LEVEL": "WARNING",
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        if bucket is None:
            monkeypatch.delenv("EVENT_ARCHIVE_BUCKET", raising=False)
        else:
            monkeypatch.setenv("EVENT_ARCHIVE_BUCKET", bucket)

    return set_for


async def test_the_command_says_what_it_applied_and_built(
    archive, rebuilt_database, environment_of, stories, capsys
):
    await write_archive(archive, stories.envelopes(stories.confirmed(uuid4(), "c-1", T0)))
    url, rebuilt = rebuilt_database
    environment_of(url, archive.bucket)

    status = await run_main()

    assert status == 0
    out = capsys.readouterr().out
    assert "rebuild: 4 events applied" in out
    assert "1 order rows built" in out
    assert await rebuilt.count("order_history") == 1


async def test_a_database_that_is_not_empty_is_refused_and_left_as_it_was(
    app, tell, db, archive, environment_of, settings, stories, capsys
):
    """The live database, say: refused with exit status 2, its rows as they were."""
    await tell(stories.confirmed(uuid4(), "c-1", T0))
    await write_archive(archive, stories.envelopes(stories.declined(uuid4(), "c-2", T0)))
    before = await db.rows(ROWS)
    environment_of(str(settings.database_url), archive.bucket)

    status = await run_main()

    assert status == 2
    assert "the database is not empty" in capsys.readouterr().err
    assert await db.rows(ROWS) == before


async def test_a_database_with_any_table_is_refused_and_nothing_migrated(
    rebuilt_database, archive, environment_of, capsys
):
    url, rebuilt = rebuilt_database
    await rebuilt.execute("CREATE TABLE keep_me (id int)")
    environment_of(url, archive.bucket)

    status = await run_main()

    assert status == 2
    assert "1 tables: public.keep_me" in capsys.readouterr().err
    assert await rebuilt.scalar("SELECT to_regclass('alembic_version') IS NULL") is True


async def test_without_an_archive_bucket_the_command_exits_2(
    rebuilt_database, environment_of, capsys
):
    url, rebuilt = rebuilt_database
    environment_of(url, None)

    status = await run_main()

    assert status == 2
    assert "EVENT_ARCHIVE_BUCKET" in capsys.readouterr().err
    assert (
        await rebuilt.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        == 0
    )


async def run_main() -> int:
    """The command as ``python -m`` runs it, off the test's event loop (it runs its own)."""
    return await asyncio.to_thread(rebuild.main, [])
