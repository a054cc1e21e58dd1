"""The migrations build exactly the schema the code declares, trigger included."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bazaar_audit.adapters.tables import metadata


async def test_the_migrated_schema_matches_the_tables(db):
    async with db.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    assert differences == []


async def test_the_append_only_trigger_is_installed(db):
    triggers = await db.scalar(
        "SELECT array_agg(tgname ORDER BY tgname) FROM pg_trigger "
        "WHERE tgrelid = 'events'::regclass AND NOT tgisinternal"
    )
    assert triggers == ["events_append_only"]
