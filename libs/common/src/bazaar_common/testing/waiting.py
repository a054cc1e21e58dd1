"""Bounded waits for tests that watch background work happen."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def wait_until(
    predicate: Callable[[], bool | Awaitable[bool]], within: float = 10.0, interval: float = 0.02
) -> None:
    """Poll a predicate (sync or async) until it holds; TimeoutError after ``within`` s."""
    async with asyncio.timeout(within):
        while True:
            outcome = predicate()
            if not isinstance(outcome, bool):
                outcome = await outcome
            if outcome:
                return
            await asyncio.sleep(interval)


async def join_or_cancel(tasks: Iterable[asyncio.Task[Any]], within: float) -> int:
    """Await each task for up to ``within`` s; cancel the late ones and count them."""
    late = 0
    for task in tasks:
        try:
            async with asyncio.timeout(within):
                await task
        except TimeoutError:
            late += 1
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return late
