"""Expired keys deleted in bounded batches, and the loop that does so in the background."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bazaar_common.app import AppResource
from bazaar_common.clock import Clock, utc_now
from bazaar_common.idempotency.unit_of_work import KeyedUnitOfWork

logger = logging.getLogger("bazaar.idempotency")

BATCH_SIZE = 100
MAX_BATCHES_PER_PURGE = 10
PURGE_INTERVAL_SECONDS = 60.0


async def purge_expired_keys(
    new_uow: Callable[[], KeyedUnitOfWork],
    *,
    clock: Clock = utc_now,
    batch_size: int = BATCH_SIZE,
    max_batches: int = MAX_BATCHES_PER_PURGE,
) -> int:
    """Delete expired keys, at most ``max_batches`` transactions of ``batch_size``; how many."""
    purged = 0
    for _ in range(max_batches):
        async with new_uow() as uow:
            done = await uow.idempotency.purge_expired(now=clock(), limit=batch_size)
            await uow.commit()
        purged += done
        if done < batch_size:
            break
    return purged


def purging_expired_keys(
    new_uow: Callable[[FastAPI], Callable[[], KeyedUnitOfWork]],
    *,
    interval_seconds: float = PURGE_INTERVAL_SECONDS,
) -> AppResource:
    """An app resource purging every ``interval_seconds`` for the app's lifetime.

    ``new_uow`` makes the unit-of-work factory from the started app (its
    engine). Every task of a service purges; ``SKIP LOCKED`` keeps them apart.
    """

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        stopping = asyncio.Event()
        factory = new_uow(app)

        async def loop() -> None:
            while not stopping.is_set():
                try:
                    await purge_expired_keys(factory)
                except Exception:
                    # A database outage must not end the purges: the next one retries.
                    logger.exception(
                        "purging expired idempotency keys failed; the next run retries"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), interval_seconds)

        task = asyncio.create_task(loop(), name="purge-expired-idempotency-keys")
        try:
            yield
        finally:
            stopping.set()
            await task

    return run
