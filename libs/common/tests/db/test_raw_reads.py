"""bazaar_common.db.raw on a real PostgreSQL: rows as asyncpg gives them, failures as 503s."""

import asyncpg
import pytest
from sqlalchemy import text

from bazaar_common.db import raw
from bazaar_common.db.errors import DatabaseUnavailable


async def test_a_read_gives_rows_by_column_name_with_bound_parameters(engine):
    async with engine.connect() as connection:
        rows = await raw.fetch(
            connection,
            "SELECT n, n * $1 AS twice FROM generate_series(1, 3) AS n WHERE n > $2",
            2,
            1,
        )
    assert [(row["n"], row["twice"]) for row in rows] == [(2, 4), (3, 6)]


async def test_a_value_that_looks_like_sql_stays_a_value(engine):
    async with engine.connect() as connection:
        rows = await raw.fetch(connection, "SELECT $1::text AS said", "'; DROP TABLE x; --")
    assert rows[0]["said"] == "'; DROP TABLE x; --"


async def test_a_statement_timeout_is_database_unavailable(engine):
    async with engine.connect() as connection:
        await connection.execute(text("SET statement_timeout = 50"))
        with pytest.raises(DatabaseUnavailable):
            await raw.fetch(connection, "SELECT pg_sleep(2)")


async def test_a_mistake_in_the_sql_is_raised_as_it_is(engine):
    async with engine.connect() as connection:
        with pytest.raises(asyncpg.PostgresSyntaxError):
            await raw.fetch(connection, "SELEC 1")


async def test_a_lost_connection_is_unavailable_and_never_goes_back_to_the_pool(engine):
    async with engine.connect() as connection:
        pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DatabaseUnavailable):
            await raw.fetch(connection, "SELECT 1 AS one")
        assert connection.invalidated
    async with engine.connect() as connection:  # the pool hands out a live one
        assert (await raw.fetch(connection, "SELECT 1 AS one"))[0]["one"] == 1
