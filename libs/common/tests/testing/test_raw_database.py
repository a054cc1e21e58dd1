"""Raw reads in tests: rows, scalars, writes and counts of a service's own tables."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, String, Table

from bazaar_common.db.naming import service_metadata
from bazaar_common.testing.database import RawDatabase

metadata = service_metadata()
widgets = Table(
    "widgets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False),
)


async def test_raw_reads_see_what_was_written(fresh_database):
    database = await fresh_database(metadata, prefix="common_raw")
    db = RawDatabase(database.engine, metadata)
    assert await db.count("widgets") == 0
    await db.execute("INSERT INTO widgets (id, name) VALUES (1, :a), (2, :b)", a="mug", b="tea")
    assert await db.count("widgets") == 2
    assert await db.scalar("SELECT name FROM widgets WHERE id = :id", id=2) == "tea"
    assert await db.rows("SELECT id, name FROM widgets ORDER BY id") == [
        {"id": 1, "name": "mug"},
        {"id": 2, "name": "tea"},
    ]


async def test_count_refuses_a_table_the_service_does_not_declare(fresh_database):
    database = await fresh_database(metadata, prefix="common_raw")
    db = RawDatabase(database.engine, metadata)
    with pytest.raises(AssertionError):
        await db.count('widgets"; DROP TABLE widgets; --')
