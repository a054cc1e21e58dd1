"""A periodic job run as a task for an app's lifetime, stopped in time on the way out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

logger = logging.getLogger("bazaar.background")


class StoppableJob(Protocol):
    async def run(self) -> None:
        """Loop until ``stop()``; never raise."""

    def stop(self) -> None: ...


@asynccontextmanager
async def running_job(job: StoppableJob, *, name: str, stop_within: float) -> AsyncIterator[None]:
    """``job.run()`` as a task for the ``async with``; then ``stop()``, cancelled if it lingers.

    A job stuck on a dependency when the app stops (a database that does
    not answer) is cancelled after ``stop_within``: its transaction rolls
    back and its work waits for the next start.
    """
    task = asyncio.create_task(job.run(), name=name)
    try:
        yield
    finally:
        job.stop()
        try:
            async with asyncio.timeout(stop_within):
                await task
        except TimeoutError:
            logger.warning("background job did not stop in time; cancelled", extra={"job": name})
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
