"""Bounded waits for tests that watch background work happen."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar


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


class Worker(Protocol):
    """Background work that runs until asked to stop (a relay, a consumer)."""

    async def run(self) -> None: ...


W = TypeVar("W", bound=Worker)


class BackgroundWorkers(Generic[W]):
    """Runs workers as tasks for a test; the fixture that made them stops them all after."""

    def __init__(self) -> None:
        self._running: list[tuple[W, asyncio.Task[None]]] = []

    def start(self, worker: W) -> asyncio.Task[None]:
        task = asyncio.create_task(worker.run())
        self._running.append((worker, task))
        return task

    async def stop_all(self, stop: Callable[[W], Awaitable[object]], within: float) -> int:
        """``stop`` every worker, then join their tasks; returns how many were late."""
        for worker, _ in self._running:
            await stop(worker)
        return await join_or_cancel([task for _, task in self._running], within)
