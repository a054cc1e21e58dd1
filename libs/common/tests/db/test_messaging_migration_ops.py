"""The versioned outbox/inbox migration ops build exactly the declared messaging tables."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, inspect

from bazaar_common.db.naming import service_metadata
from bazaar_common.messaging.migration_ops import (
    create_messaging_tables_v1,
    drop_messaging_tables_v1,
)
from bazaar_common.messaging.tables import add_messaging_tables


def _run(connection: Connection, step: Callable[[], None]) -> None:
    with Operations.context(MigrationContext.configure(connection)):
        step()


def _names(connection: Connection) -> dict[str, object]:
    inspector = inspect(connection)
    return {
        "tables": sorted(inspector.get_table_names()),
        "outbox_pk": inspector.get_pk_constraint("outbox")["name"],
        "inbox_pk": inspector.get_pk_constraint("inbox")["name"],
        "outbox_indexes": sorted(str(index["name"]) for index in inspector.get_indexes("outbox")),
    }


def _differences(connection: Connection) -> list[object]:
    metadata = service_metadata()
    add_messaging_tables(metadata)
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_v1_creates_what_add_messaging_tables_declares_and_drops_it_all(engine):
    async with engine.begin() as connection:
        await connection.run_sync(_run, create_messaging_tables_v1)
        assert await connection.run_sync(_differences) == []
        assert await connection.run_sync(_names) == {
            "tables": ["inbox", "outbox"],
            "outbox_pk": "pk_outbox",
            "inbox_pk": "pk_inbox",
            "outbox_indexes": ["ix_outbox_published_at", "ix_outbox_unpublished"],
        }
        await connection.run_sync(_run, drop_messaging_tables_v1)
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert tables == []
