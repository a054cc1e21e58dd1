"""The migrations build exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bazaar_history.adapters.tables import metadata


async def test_the_migrated_schema_matches_the_tables(app):
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with app.state.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
