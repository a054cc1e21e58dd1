"""One transaction, one commit point, per request or message.

Use cases open a unit of work, call repositories bound to its connection and
commit once. Leaving the block without ``commit()`` rolls everything back, so
a failed use case changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.db.errors import DatabaseUnavailable


async def connect(engine: AsyncEngine) -> AsyncConnection:
    """A pooled connection; failing to reach the server is a 503, not a 500."""
    try:
        return await engine.connect()
    except OSError as error:  # refused, unreachable, DNS failure, connect timeout
        raise DatabaseUnavailable() from error


@functools.cache
def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    # Shares the engine's pool; only the connections' transaction mode differs.
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class SqlUnitOfWork:
    """Base for each service's unit of work; subclasses bind their repositories."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection

    def bind_repositories(self, connection: AsyncConnection) -> None:
        """Create the repositories of this unit of work on its connection."""

    async def __aenter__(self) -> Self:
        # Entering an open unit of work joins it: a use case called by a
        # consumer runs inside the consumer's transaction (with its inbox row),
        # and only the outermost block commits.
        self._depth += 1
        if self._depth > 1:
            return self
        try:
            connection = await connect(self._engine)
        except BaseException:
            self._depth = 0
            raise
        try:
            await connection.begin()
        except BaseException:
            self._depth = 0
            await connection.close()
            raise
        self._connection = connection
        self.bind_repositories(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        self._after_commit.clear()  # left without committing: nothing happened
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            await connection.close()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Self]:
        """The repositories on a connection with no transaction around them.

        For reads that need no consistency across statements (one query, or
        independent ones): each statement is its own snapshot, and the BEGIN
        and ROLLBACK round trips of a transaction are saved. Nothing written
        here could be rolled back, so use cases that write never use it.
        """
        if self._depth > 0:  # inside an open unit of work: read in its transaction
            yield self
            return
        connection = await connect(_autocommit(self._engine))
        try:
            self.bind_repositories(connection)
            yield self
        finally:
            await connection.close()

    async def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit() outside of the unit of work's block")
        if self._depth > 1:
            return  # the outermost block commits
        await self._connection.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this unit of work's transaction has really committed.

        For effects outside the database that must follow only a committed
        change, such as a metric: a joined block's callback waits for the
        outermost commit, and a rollback drops it.
        """
        self._after_commit.append(callback)
