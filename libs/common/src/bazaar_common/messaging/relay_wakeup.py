"""What wakes the outbox relay: a NOTIFY at commit, else its poll interval.

``Outbox.add`` NOTIFYs at commit; the relay LISTENs on a connection of its
own (``db.listener``) and so publishes milliseconds later. Without that
connection (refused, or lost) the relay only polls, and tries to LISTEN
again every ``retry_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bazaar_common.db.listener import ChannelListener
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
        self._poll_interval = poll_interval_seconds
        self._stopping = stopping
        self._name = name
        self._event = asyncio.Event()
        self._listener = ChannelListener(
            listen_dsn,
            NOTIFY_CHANNEL,
            on_notify=lambda _payload: self._event.set(),
            on_lost=self._on_listener_lost,
            on_refused=self._on_refused,
            retry_seconds=retry_seconds,
            clock=clock,
        )

    @property
    def listening(self) -> bool:
        """Whether a NOTIFY wakes the relay now (otherwise it only polls)."""
        return self._listener.listening

    def clear(self) -> None:
        self._event.clear()

    def wake(self) -> None:
        self._event.set()

    async def wait(self) -> None:
        """Until a NOTIFY or ``wake()``, the poll interval, or the time to LISTEN again."""
        timeout = self._poll_interval
        if not self.listening:  # wake in time to try LISTEN again
            timeout = min(timeout, self._listener.seconds_to_next_attempt)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._event.wait()

    async def ensure_listening(self) -> None:
        """LISTEN, unless already listening or the last attempt was too recent."""
        if await self._listener.ensure_listening():
            # Rows committed while nobody listened sent their NOTIFY to no one.
            self._event.set()

    async def close(self) -> None:
        await self._listener.close()

    def _on_refused(self, error: Exception, first: bool) -> None:
        # Said once per outage, not at every retry.
        logger.log(
            logging.WARNING if first else logging.DEBUG,
            "outbox relay cannot LISTEN; polling",
            extra={
                "relay": self._name,
                "error": f"{type(error).__name__}: {error}",
                "poll_interval_seconds": self._poll_interval,
            },
        )

    def _on_listener_lost(self) -> None:
        if not self._stopping.is_set():
            logger.warning("outbox relay lost its LISTEN connection", extra={"relay": self._name})
        self._event.set()  # the loop reconnects now
