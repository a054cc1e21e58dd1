"""The body of every service's ``migrations/env.py``.

Run by the service at start (the connection is handed in through the Alembic
config) or by a developer with the ``alembic`` CLI (the URL comes from
``DATABASE_URL``, the same variable the service reads).
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.migrations import take_migration_lock


def run_migrations(target_metadata: MetaData) -> None:
    if context.is_offline_mode():
        context.configure(
            url=os.environ["DATABASE_URL"], target_metadata=target_metadata, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(connection, target_metadata)
        return
    asyncio.run(_run_from_environment(target_metadata))


def _run_on(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        # By hand or by a starting task, only one migration run at a time.
        take_migration_lock(connection)
        context.run_migrations()


async def _run_from_environment(target_metadata: MetaData) -> None:
    engine = create_async_engine(os.environ["DATABASE_URL"])
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_on, target_metadata)
    finally:
        await engine.dispose()
