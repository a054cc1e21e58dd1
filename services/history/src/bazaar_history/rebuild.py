"""``python -m bazaar_history.rebuild``: the order history again, from the event archive.

A read model is only what its events made it, so it can be made again:
this migrates an empty database to head, reads every archived event of the
types history consumes (``bazaar_common.archive``) and hands each to the
consumer's own handling (``EventHandling``: inbox row, the very handler the
live consumer runs, commit), as if the bus had delivered it. The merge rules
(``domain.model``) make the order the archive yields them in irrelevant, and
rows take the events' own times, so the rows equal those the live consumer
built from the same events.

It runs with the service's own configuration (as its task has it), with
``DATABASE_URL`` naming the new database and ``EVENT_ARCHIVE_BUCKET`` the
archive. It never writes into a database that holds any table: point the
service at the rebuilt database once it is done.

Exit status: 0 rebuilt; 2 refused, nothing changed (a configuration error,
no ``EVENT_ARCHIVE_BUCKET``, a database that is not empty); 1 failed on the
way (S3 or the database): drop the partial database and run it again.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from contextlib import AsyncExitStack
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.archive.store import ArchiveStore, open_archive_store
from bazaar_common.catalog import load_own_entry
from bazaar_common.db.engine import create_engine
from bazaar_common.db.migrations import tables_of, upgrade_to_head
from bazaar_common.messaging.events import PoisonEvent
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.settings import load_settings
from bazaar_history.main import MESSAGING, MIGRATIONS
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork
from bazaar_history.settings import HistorySettings

logger = logging.getLogger("bazaar.history.rebuild")


class DatabaseNotEmpty(Exception):
    def __init__(self, tables: list[str]) -> None:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        super().__init__(
            f"the database is not empty ({len(tables)} tables: {shown}); "
            "rebuild only into a new, empty database; nothing was changed"
        )


@dataclass(frozen=True)
class Rebuilt:
    read: int
    """Archived events of the consumed types."""
    applied: int
    """Of those, the events handled (the rest: a copy of one handled, or poison)."""
    skipped: int
    """Poison: events the live consumer would have sent to its dead-letter queue."""
    orders: int
    """Rows built."""


async def rebuild(engine: AsyncEngine, store: ArchiveStore, settings: HistorySettings) -> Rebuilt:
    """Migrate the empty database on ``engine`` and apply every archived event to it."""
    async with engine.connect() as connection:
        tables = await tables_of(connection)
    if tables:
        raise DatabaseNotEmpty(tables)
    await upgrade_to_head(engine, MIGRATIONS)
    handling = EventHandling.of(
        load_own_entry("bazaar_history").name,
        HistoryUnitOfWork.factory(engine, settings),
        MESSAGING.tables.inbox,
        MESSAGING.handlers,
    )
    read = applied = skipped = 0
    async for archived in store.events(types=sorted(MESSAGING.consumed_types)):
        read += 1
        envelope = archived.envelope
        try:
            event = handling.registry.parse(envelope)
        except PoisonEvent as error:
            logger.warning("skipped poison", extra={"event_id": str(envelope.id), "error": error})
            skipped += 1
            continue
        if await handling.handle_once(envelope, event, handling.handlers[envelope.type]):
            applied += 1
    uow = HistoryUnitOfWork(engine)
    async with uow.reading():
        orders = await uow.orders.count()
    return Rebuilt(read=read, applied=applied, skipped=skipped, orders=orders)


async def rebuild_from_settings(settings: HistorySettings, bucket: str) -> Rebuilt:
    engine = create_engine(settings, application_name="history-rebuild", pool_size=2)
    try:
        async with AsyncExitStack() as clients:
            store = await open_archive_store(settings, bucket, clients)
            return await rebuild(engine, store, settings)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bazaar_history.rebuild",
        description="Rebuild the order history from the event archive into an empty database "
        "(DATABASE_URL), reading the archive bucket EVENT_ARCHIVE_BUCKET.",
    )
    parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    settings = load_settings(HistorySettings)  # a bad variable: one line, exit 2
    bucket = settings.event_archive_bucket
    if bucket is None:
        print("rebuild: set EVENT_ARCHIVE_BUCKET, the archive to rebuild from", file=sys.stderr)
        return 2
    try:
        rebuilt = asyncio.run(rebuild_from_settings(settings, bucket))
    except DatabaseNotEmpty as refused:
        print(f"rebuild: {refused}", file=sys.stderr)
        return 2
    except Exception as error:  # one line for the operator, whatever broke
        print(f"rebuild: failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(
        f"rebuild: {rebuilt.applied} events applied ({rebuilt.read} read from s3://{bucket}, "
        f"{rebuilt.skipped} skipped as poison), {rebuilt.orders} order rows built"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
