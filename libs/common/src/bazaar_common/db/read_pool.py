"""A plain asyncpg pool for the hot reads, apart from the SQLAlchemy engine.

The engine's pool serves the unit of work; the few reads a service answers
most (an order by id, a catalog page) run here instead, with no ORM layer,
no transaction and asyncpg's own prepared-statement cache: about a third of
a read's CPU in the engine path is SQLAlchemy's.

A connection the server ended (``pg_terminate_backend``, an admin shutdown,
a failover) is closed by asyncpg and dropped by the pool when released, so
the next checkout gets a new one. The statement that saw it end answers the
same 503 problem the engine path gives (``db.errors``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from bazaar_common.db.dsn import asyncpg_dsn
from bazaar_common.db.errors import (
    POOL_EXHAUSTED,
    STATEMENT_FAILED,
    DatabaseUnavailable,
    is_transient_sqlstate,
)
from bazaar_common.db.read_statement import ReadStatement
from bazaar_common.settings import ServiceSettings

logger = logging.getLogger("bazaar.db")

Row = asyncpg.Record
"""A row as the read pool returns it: by column name (``row["id"]``), in select order."""
_tracer = trace.get_tracer("bazaar.db.read_pool")


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None


async def create_read_pool(settings: ServiceSettings, *, application_name: str) -> ReadPool:
    """Connections opened as reads need them, up to ``db_read_pool_size``; limits as the engine."""
    pool = await asyncpg.create_pool(
        asyncpg_dsn(settings),
        # None opened at start: a service must start (and answer /readyz 503)
        # while its database is down, as with the engine's lazy pool.
        min_size=0,
        max_size=settings.db_read_pool_size,
        timeout=5,
        max_inactive_connection_lifetime=300,
        # asyncpg resets a released connection with a round trip (RESET ALL,
        # UNLISTEN *, advisory locks, CLOSE ALL): as many round trips as the
        # reads themselves. ``fetch`` changes no session state (one SELECT,
        # autocommit, no LISTEN or locks); ``connection`` resets its own.
        reset=_nothing_to_reset,
        server_settings={
            "application_name": application_name,
            "statement_timeout": str(settings.db_statement_timeout_ms),
        },
    )
    return ReadPool(pool, acquire_timeout=settings.db_pool_timeout_seconds)


class ReadPool:
    """Runs a :class:`ReadStatement` on a pooled connection; failures become problems."""

    def __init__(self, pool: asyncpg.Pool, *, acquire_timeout: float) -> None:
        self._pool = pool
        self._acquire_timeout = acquire_timeout

    async def fetch(self, statement: ReadStatement, **values: object) -> Sequence[Row]:
        arguments = statement.arguments(values)
        if not trace.get_current_span().is_recording():
            # The untraced majority of requests (sampled at 0.1) pay for no span.
            return await self._fetch(statement, arguments)
        with _tracer.start_as_current_span(
            statement.name,
            kind=SpanKind.CLIENT,
            attributes={"db.system": "postgresql", "db.statement": statement.sql},
        ):
            return await self._fetch(statement, arguments)

    async def _fetch(self, statement: ReadStatement, arguments: list[object]) -> Sequence[Row]:
        try:
            connection = await self._pool.acquire(timeout=self._acquire_timeout)
        except TimeoutError:
            logger.warning("read pool exhausted")
            raise DatabaseUnavailable(POOL_EXHAUSTED) from None
        except OSError as error:  # refused, unreachable, DNS failure, connect timeout
            raise DatabaseUnavailable() from error
        try:
            return await connection.fetch(statement.sql, *arguments)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            sqlstate = getattr(error, "sqlstate", None)
            # A connection-level failure (InterfaceError "connection is closed",
            # a reset socket) has no SQLSTATE and is retryable like class 08.
            if isinstance(error, asyncpg.PostgresError) and not is_transient_sqlstate(sqlstate):
                raise
            logger.warning(
                "database error, answered 503",
                extra={"error": type(error).__name__, "sqlstate": sqlstate},
            )
            raise DatabaseUnavailable(STATEMENT_FAILED) from error
        finally:
            # A connection the server closed is dropped here and replaced later.
            await self._pool.release(connection)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[PoolConnectionProxy]:
        """A connection held for the block, for what ``fetch`` cannot do (a test filling it).

        Whatever the block did (a ``prepare`` alone even leaves its implicit
        transaction open, holding its tables' locks), the connection is fully
        reset before it goes back, or closed if that fails.
        """
        connection = await self._pool.acquire(timeout=self._acquire_timeout)
        try:
            yield connection
            if not connection.is_closed():
                await connection.reset()
        except BaseException:
            connection.terminate()
            raise
        finally:
            await self._pool.release(connection)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self._pool.close(), timeout=10)
        except TimeoutError:  # a read still holds its connection at shutdown
            self._pool.terminate()
