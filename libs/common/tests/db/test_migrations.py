import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.migrations import (
    SchemaExpectation,
    SchemaState,
    current_revision,
    tables_of,
    upgrade_to_head,
)


@pytest.mark.parametrize(
    ("revision", "state"),
    [
        ("0001", SchemaState.CURRENT),
        (None, SchemaState.BEHIND),
        ("f00dcafe", SchemaState.AHEAD),
    ],
)
def test_schema_expectation_judges_the_database_revision(sample_migrations, revision, state):
    expectation = SchemaExpectation.of(sample_migrations)
    assert expectation.head == "0001"
    assert expectation.known == {"0001"}
    assert expectation.state_of(revision) is state


async def test_current_revision_is_none_before_any_migration(engine):
    async with engine.connect() as connection:
        assert await current_revision(connection) is None


async def test_a_new_database_has_no_tables_and_a_migrated_one_lists_them(
    engine, sample_migrations
):
    async with engine.connect() as connection:
        assert await tables_of(connection) == []

    await upgrade_to_head(engine, sample_migrations)

    async with engine.connect() as connection:
        assert await tables_of(connection) == ["public.alembic_version", "public.widgets"]


async def test_concurrent_starts_migrate_exactly_once(fresh_database_url, sample_migrations):
    engines = [create_async_engine(fresh_database_url, pool_size=1) for _ in range(6)]
    try:
        await asyncio.gather(*(upgrade_to_head(e, sample_migrations) for e in engines))
        async with engines[0].connect() as connection:
            assert await current_revision(connection) == "0001"
            rows = await connection.scalar(text("SELECT count(*) FROM widgets"))
            versions = await connection.scalar(text("SELECT count(*) FROM alembic_version"))
    finally:
        await asyncio.gather(*(e.dispose() for e in engines))
    assert rows == 1
    assert versions == 1


async def test_upgrade_again_is_a_no_op(engine, sample_migrations):
    await upgrade_to_head(engine, sample_migrations)
    await upgrade_to_head(engine, sample_migrations)
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM widgets")) == 1
