"""One transaction, one commit point, per request or message.

Use cases open a unit of work, call repositories bound to its connection and
commit once. Leaving the block without ``commit()`` rolls everything back, so
a failed use case changes nothing.

Events reach the outbox one way: an aggregate records them as it changes,
the repository that writes it adds it to the unit of work's ``seen``, and
``commit()`` writes what they recorded to the outbox in the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.db.errors import DatabaseUnavailable
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.settings import ServiceSettings


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


class RecordsEvents(Protocol):
    """An aggregate: it records the events its changes cause until they are pulled."""

    def pull_events(self) -> Sequence[Event]:
        """The events recorded since the last pull, oldest first."""
        ...


class SqlUnitOfWork:
    """Base for each service's unit of work; subclasses bind their repositories and outbox."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        self._outbox: Outbox | None = None
        self.seen: list[RecordsEvents] = []
        """Aggregates the repositories wrote in this transaction, whose events ``commit`` writes.

        Only written ones: an event whose state change is not saved must not
        be published.
        """

    @classmethod
    def factory(cls, engine: AsyncEngine, settings: ServiceSettings) -> Callable[[], Self]:
        """How a running service makes its units of work (the consumer's, for one).

        Called once per app: what the units of work need besides the engine
        is built here from the settings and shared by all of them.
        """
        return lambda: cls(engine)

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection

    def bind_repositories(self, connection: AsyncConnection) -> None:
        """Create the repositories of this unit of work on its connection.

        A repository that writes aggregates is given ``seen`` and adds each
        one it wrote to it.
        """

    def outbox_on(self, connection: AsyncConnection) -> Outbox | None:
        """Where this unit of work writes recorded events; None where none are published."""
        return None

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
        self.seen.clear()
        self._outbox = self.outbox_on(connection)
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
        self.seen.clear()
        self._outbox = None
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
        # Also in a joined block, whose commit is deferred: a consumer makes the
        # event it handles the current cause only around its handler, and the
        # events written meanwhile carry it as their causation.
        await self._write_recorded_events()
        if self._depth > 1:
            return  # the outermost block commits
        await self._connection.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    async def _write_recorded_events(self) -> None:
        for aggregate in self.seen:
            for event in aggregate.pull_events():
                if self._outbox is None:
                    raise RuntimeError(f"{type(self).__name__} has no outbox: {event.event_type}")
                await self._outbox.add(event)
                self.event_written(aggregate, event)
        self.seen.clear()

    def event_written(self, aggregate: RecordsEvents, event: Event) -> None:
        """Called for each event written to the outbox, before the transaction commits.

        For what follows an event once it is committed, such as a metric
        (``after_commit``).
        """

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this unit of work's transaction has really committed.

        For effects outside the database that must follow only a committed
        change, such as a metric: a joined block's callback waits for the
        outermost commit, and a rollback drops it.
        """
        self._after_commit.append(callback)
