"""What wakes the outbox relay: a NOTIFY at commit, else its poll interval.

``Outbox.add`` NOTIFYs at commit; the relay LISTENs on a connection of its
own and so publishes milliseconds later. Without that connection (refused,
or lost) the relay only polls, and tries to LISTEN again every
``retry_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg

from bazaar_common.messaging.outbox import NOTIFY_CHANNEL

logger = logging.getLogger("bazaar.messaging.relay")


class RelayWakeup:
    """``stopping`` is the relay's: a listener lost while it stops is not worth a warning."""

    def __init__(
        self,
        listen_dsn: str,
        *,
        poll_interval_seconds: float,
        retry_seconds: float,
        clock: Callable[[], float],
        stopping: asyncio.Event,
        name: str,
    ) -> None:
        self._listen_dsn = listen_dsn
        self._poll_interval = poll_interval_seconds
        self._retry = retry_seconds
        self._clock = clock
        self._stopping = stopping
        self._name = name
        self._listener: asyncpg.Connection[Any] | None = None
        self._next_attempt = float("-inf")
        self._failed = False
        self._event = asyncio.Event()

    @property
    def listening(self) -> bool:
        """Whether a NOTIFY wakes the relay now (otherwise it only polls)."""
        return self._listener is not None and not self._listener.is_closed()

    def clear(self) -> None:
        self._event.clear()

    def wake(self) -> None:
        self._event.set()

    async def wait(self) -> None:
        """Until a NOTIFY or ``wake()``, the poll interval, or the time to LISTEN again."""
        timeout = self._poll_interval
        if not self.listening:  # wake in time to try LISTEN again
            timeout = min(timeout, max(0.0, self._next_attempt - self._clock()))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._event.wait()

    async def ensure_listening(self) -> None:
        """LISTEN, unless already listening or the last attempt was too recent."""
        if self.listening or self._clock() < self._next_attempt:
            return
        await self.close()
        self._next_attempt = self._clock() + self._retry
        connection = None
        try:
            connection = await asyncpg.connect(self._listen_dsn, timeout=5)
            await connection.add_listener(NOTIFY_CHANNEL, self._on_notify)
        except Exception as error:
            if connection is not None:
                connection.terminate()
            # Said once per outage, not at every retry.
            level = logging.DEBUG if self._failed else logging.WARNING
            self._failed = True
            logger.log(
                level,
                "outbox relay cannot LISTEN; polling",
                extra={
                    "relay": self._name,
                    "error": f"{type(error).__name__}: {error}",
                    "poll_interval_seconds": self._poll_interval,
                },
            )
            return
        connection.add_termination_listener(self._on_listener_lost)
        self._listener = connection
        self._failed = False
        # Rows committed while nobody listened sent their NOTIFY to no one.
        self._event.set()

    async def close(self) -> None:
        connection, self._listener = self._listener, None
        if connection is None or connection.is_closed():
            return
        connection.remove_termination_listener(self._on_listener_lost)
        try:
            await connection.close(timeout=2)
        except Exception:
            connection.terminate()

    def _on_notify(self, *_: object) -> None:
        self._event.set()

    def _on_listener_lost(self, *_: object) -> None:
        if not self._stopping.is_set():
            logger.warning("outbox relay lost its LISTEN connection", extra={"relay": self._name})
        self._event.set()  # the loop reconnects now
