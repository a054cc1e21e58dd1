"""Rebuild the audit store from the event archive, and prove it equal to the live one.

    python -m bazaar_audit.rebuild [--into postgresql+asyncpg://.../audit_rebuilt] \\
        [--compare-with postgresql+asyncpg://.../audit] [--bucket NAME]

``--into`` (default: ``DATABASE_URL``, as the service's task has it) must
be an empty database: it is migrated to head and filled
with every archived event as it was received. With ``--compare-with`` (the
live store, which may keep taking events meanwhile) the command takes its
start as the cutoff, lets the transactions open then commit (``SETTLE``,
longer than a consumer's transaction), waits until the live writer has
archived every event received before the cutoff, rebuilds, then compares
the two stores row by row: every event received before the cutoff must be
in both and equal (later ones equal where both hold them). Exit 0 when
equal, 1 when not, with the ids that differ; 2 is a usage error, and
nothing is written then.

The bucket comes from ``--bucket`` or ``EVENT_ARCHIVE_BUCKET``; the AWS
endpoint, region and credentials from the usual variables
(``AWS_ENDPOINT_URL`` for the moto server locally).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bazaar_audit.adapters.event_store import EventStore
from bazaar_audit.adapters.tables import archive_pending, events
from bazaar_audit.main import MIGRATIONS
from bazaar_audit.service_layer.comparison import Comparison, compare_stores
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.archive.store import ArchiveStore, archive_store_from_environment
from bazaar_common.db.migrations import tables_of, upgrade_to_head

SETTLE = timedelta(seconds=6)  # a consumer's transaction: statements of at most 5 s
ARCHIVED_WITHIN = timedelta(seconds=120)
RESTORE_BATCH = 500


class UsageError(Exception):
    """Refused before anything was written."""


@dataclass(frozen=True)
class Rebuilt:
    events: int
    seconds: float


async def require_empty(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await tables_of(connection)
    if tables:
        url = engine.url.render_as_string(hide_password=True)
        raise UsageError(f"{url} is not empty (it has tables {sorted(tables)[:5]}): give a new one")


async def rebuild(store: ArchiveStore, into: AsyncEngine) -> Rebuilt:
    """Every archived event into the empty store ``into``, as it was received."""
    started = time.monotonic()
    await require_empty(into)
    await upgrade_to_head(into, MIGRATIONS)
    restored = 0
    batch: list[ArchivedEvent] = []
    async for event in store.events():
        batch.append(event)
        if len(batch) == RESTORE_BATCH:
            restored += await _restore(into, batch)
            batch = []
    restored += await _restore(into, batch)
    return Rebuilt(restored, time.monotonic() - started)


async def _restore(engine: AsyncEngine, batch: list[ArchivedEvent]) -> int:
    # Not queued for the archive: these come from it.
    async with engine.begin() as connection:
        return await EventStore(connection).restore(batch)


async def wait_until_archived(live: AsyncEngine, before: datetime) -> None:
    """Until the live writer has archived every event received before ``before``."""
    deadline = time.monotonic() + ARCHIVED_WITHIN.total_seconds()
    query = (
        select(func.count())
        .select_from(archive_pending.join(events, events.c.event_id == archive_pending.c.event_id))
        .where(events.c.received_at < before)
    )
    while True:
        async with live.connect() as connection:
            waiting = (await connection.execute(query)).scalar_one()
        if waiting == 0:
            return
        if time.monotonic() > deadline:
            raise UsageError(
                f"{waiting} events received before {before.isoformat()} are still not "
                f"archived after {ARCHIVED_WITHIN}: is the live audit service's writer running?"
            )
        await asyncio.sleep(0.5)


async def run(into_url: str, bucket: str, compare_with: str | None) -> Comparison | None:
    cutoff = datetime.now(UTC)
    into = create_async_engine(into_url)
    live = create_async_engine(compare_with) if compare_with else None
    try:
        async with AsyncExitStack() as clients:
            store = await archive_store_from_environment(bucket, clients)
            if live is not None:
                await asyncio.sleep(SETTLE.total_seconds())
                await wait_until_archived(live, cutoff)
            rebuilt = await rebuild(store, into)
            print(
                f"rebuild: {rebuilt.events} events from s3://{bucket} "
                f"in {rebuilt.seconds:.1f} s into {into.url.render_as_string(hide_password=True)}"
            )
            if live is None:
                return None
            return await compare_stores(live, into, cutoff=cutoff)
    finally:
        await into.dispose()
        if live is not None:
            await live.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bazaar_audit.rebuild", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--into",
        default=os.environ.get("DATABASE_URL"),
        help="an empty database (postgresql+asyncpg://); default: DATABASE_URL",
    )
    parser.add_argument("--compare-with", help="the live audit database, to prove them equal")
    parser.add_argument("--bucket", default=os.environ.get("EVENT_ARCHIVE_BUCKET"))
    arguments = parser.parse_args(argv)
    if not arguments.bucket:
        print("rebuild: give --bucket or set EVENT_ARCHIVE_BUCKET", file=sys.stderr)
        return 2
    if not arguments.into:
        print("rebuild: give --into or set DATABASE_URL", file=sys.stderr)
        return 2
    for url in filter(None, (arguments.into, arguments.compare_with)):
        if not url.startswith("postgresql+asyncpg://"):
            print(f"rebuild: {url.split('@')[-1]}: use postgresql+asyncpg://", file=sys.stderr)
            return 2
    try:
        comparison = asyncio.run(run(arguments.into, arguments.bucket, arguments.compare_with))
    except UsageError as error:
        print(f"rebuild: {error}", file=sys.stderr)
        return 2
    if comparison is None:
        return 0
    print(f"rebuild: {comparison.describe()}")
    return 0 if comparison.equal else 1


if __name__ == "__main__":
    sys.exit(main())
