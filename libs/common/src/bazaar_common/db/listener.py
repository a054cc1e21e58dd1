"""A connection that LISTENs on one Postgres channel, and comes back when lost.

What a NOTIFY means is the owner's: the outbox relay wakes up
(``messaging.relay_wakeup``), a cache drops entries. This class only keeps
the dedicated asyncpg connection: it LISTENs, says when it is lost, and
refuses to retry more often than every ``retry_seconds``, so an outage costs
one connection attempt per interval, not one per caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg

NotifyCallback = Callable[[str], None]
"""Called with a notification's payload, on the event loop."""
LostCallback = Callable[[], None]
RefusedCallback = Callable[[Exception, bool], None]
"""Called with the error and whether it is the first of this outage (worth a warning)."""


class ChannelListener:
    def __init__(
        self,
        dsn: str,
        channel: str,
        *,
        on_notify: NotifyCallback,
        retry_seconds: float,
        clock: Callable[[], float],
        on_lost: LostCallback = lambda: None,
        on_refused: RefusedCallback = lambda error, first: None,
        application_name: str | None = None,
    ) -> None:
        self._dsn = dsn
        self._channel = channel
        self._on_notify = on_notify
        self._on_lost = on_lost
        self._on_refused = on_refused
        self._retry = retry_seconds
        self._clock = clock
        self._server_settings = {"application_name": application_name} if application_name else {}
        self._connection: asyncpg.Connection[Any] | None = None
        self._next_attempt = float("-inf")
        self._failed = False

    @property
    def listening(self) -> bool:
        """Whether a NOTIFY on the channel reaches ``on_notify`` now."""
        return self._connection is not None and not self._connection.is_closed()

    @property
    def server_pid(self) -> int | None:
        """The listening backend's process id (pg_stat_activity.pid), None when not listening."""
        return self._connection.get_server_pid() if self.listening and self._connection else None

    @property
    def seconds_to_next_attempt(self) -> float:
        """How long ``ensure_listening`` will do nothing, when not listening."""
        return max(0.0, self._next_attempt - self._clock())

    async def ensure_listening(self) -> bool:
        """LISTEN, unless already listening or the last attempt was too recent.

        True only when this call started listening: notifications sent
        while nobody listened went to no one, and the owner must catch up.
        """
        if self.listening or self._clock() < self._next_attempt:
            return False
        await self.close()
        self._next_attempt = self._clock() + self._retry
        connection = None
        try:
            connection = await asyncpg.connect(
                self._dsn, timeout=5, server_settings=self._server_settings
            )
            await connection.add_listener(self._channel, self._notified)
        except Exception as error:
            if connection is not None:
                connection.terminate()
            self._on_refused(error, not self._failed)
            self._failed = True
            return False
        connection.add_termination_listener(self._lost)
        self._connection = connection
        self._failed = False
        return True

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None or connection.is_closed():
            return
        connection.remove_termination_listener(self._lost)
        try:
            await connection.close(timeout=2)
        except Exception:
            connection.terminate()

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: object) -> None:
        self._on_notify(str(payload))

    def _lost(self, *_: object) -> None:
        self._on_lost()
