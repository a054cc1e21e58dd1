"""Stop as a load balancer expects: leave the rotation first, then stop serving.

On SIGTERM the process first *drains* for ``DRAIN_SECONDS``: ``/readyz``
answers 503, every response says ``Connection: close`` (so the balancer keeps
no idle connection to a process about to close it), and requests are still
served. Once the balancer's health checks have taken the target out, uvicorn's
own shutdown runs: it stops accepting, lets in-flight requests finish, then
the lifespan stops the consumers and the relay.

In AWS, ECS deregisters a task from its target group and waits out the
deregistration delay *before* it sends SIGTERM, so there the default of 0 is
right. A balancer that only learns from health checks (the local gateway)
needs the drain to last its detection time (interval x unhealthy threshold
+ timeout), which is what the local stacks set.

A second SIGTERM or a Ctrl-C during the drain stops at once, as uvicorn does.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType

import uvicorn

logger = logging.getLogger("bazaar.server")


class _DrainState:
    """Whether this process is draining; one per process, read on every request."""

    def __init__(self) -> None:
        self.draining = False

    def start(self) -> None:
        self.draining = True

    def reset(self) -> None:
        """Tests that build many apps in one process start each undrained."""
        self.draining = False


drain_state = _DrainState()


class DrainingServer(uvicorn.Server):
    """uvicorn's server, with a drain between the first SIGTERM and its shutdown."""

    def __init__(self, config: uvicorn.Config, *, drain_seconds: float) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self._drain_until: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.drain_seconds <= 0 or self._drain_until is not None or sig == signal.SIGINT:
            super().handle_exit(sig, frame)
            return
        # Runs in a signal handler: only set state; on_tick acts on it.
        self._drain_until = time.monotonic() + self.drain_seconds
        drain_state.start()
        logger.info("draining for %s s before shutting down", self.drain_seconds)

    async def on_tick(self, counter: int) -> bool:
        if self._drain_until is not None and time.monotonic() >= self._drain_until:
            return True
        return await super().on_tick(counter)
