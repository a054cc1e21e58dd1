"""Hot reads in plain SQL on the unit of work's own pooled connection.

SQLAlchemy Core executes a statement through its cache-key lookup, the
greenlet bridge and result processing; for the few reads that run on every
request (one order, a page of the catalog) that is most of their cost. These
reads give asyncpg the SQL directly (asyncpg prepares and caches each
statement per connection) and take its records as they come. Everything
else, and every write, stays in Core.

A failure keeps the contract of the rest of the data layer: a lost
connection or a transient server error is ``DatabaseUnavailable`` (503 with
Retry-After), and the pooled connection is invalidated, not reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.errors import DatabaseUnavailable, is_transient_sqlstate

# A row as asyncpg gives it: row["column"] like SQLAlchemy's RowMapping.
Row = asyncpg.Record


async def fetch(connection: AsyncConnection, sql: str, *arguments: Any) -> Sequence[Row]:
    """The rows of one read, ``$1``-style parameters, on ``connection``'s asyncpg connection."""
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, asyncpg.Connection):
        raise TypeError(f"raw reads need the asyncpg driver, not {type(driver).__name__}")
    try:
        return await driver.fetch(sql, *arguments)
    except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError) as error:
        await connection.invalidate(error)
        raise DatabaseUnavailable() from error
    except asyncpg.PostgresError as error:
        if is_transient_sqlstate(getattr(error, "sqlstate", None) or ""):
            raise DatabaseUnavailable(
                "The database could not complete the request; retry shortly."
            ) from error
        raise
