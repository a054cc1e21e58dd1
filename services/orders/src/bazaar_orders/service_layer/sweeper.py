"""The sweeper: cancels orders whose saga step took too long, and purges expired keys.

Everything it needs is in the database (each order's step and when it
started), so a sweep after any restart picks up where the last one stopped.
``FOR UPDATE SKIP LOCKED`` lets every task of the service sweep at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bazaar_common.clock import Clock, utc_now
from bazaar_common.idempotency.purge import purge_expired_keys
from bazaar_orders.domain.model import CancelReason
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork

logger = logging.getLogger("bazaar.orders.sweeper")

BATCH_SIZE = 100
MAX_BATCHES_PER_SWEEP = 10


@dataclass(frozen=True, slots=True)
class SweepResult:
    cancelled: int = 0
    purged_keys: int = 0


async def cancel_overdue_batch(
    uow: OrdersUnitOfWork, *, step_timeout: timedelta, clock: Clock, limit: int = BATCH_SIZE
) -> int:
    """Cancel up to ``limit`` overdue orders in one transaction; how many were."""
    async with uow:
        now = clock()
        due = await uow.orders.lock_overdue(started_before=now - step_timeout, limit=limit)
        for order in due:
            order.cancel(CancelReason.STEP_TIMEOUT, now=now)
            await uow.orders.save(order)
        await uow.commit()
    if due:
        logger.warning(
            "orders cancelled after a step timeout",
            extra={"count": len(due), "order_ids": [str(order.id) for order in due]},
        )
    return len(due)


async def sweep(
    new_uow: Callable[[], OrdersUnitOfWork],
    *,
    step_timeout: timedelta,
    clock: Clock = utc_now,
    batch_size: int = BATCH_SIZE,
    max_batches: int = MAX_BATCHES_PER_SWEEP,
) -> SweepResult:
    """One bounded sweep: at most ``max_batches`` transactions of each kind."""
    cancelled = 0
    for _ in range(max_batches):
        done = await cancel_overdue_batch(
            new_uow(), step_timeout=step_timeout, clock=clock, limit=batch_size
        )
        cancelled += done
        if done < batch_size:
            break
    purged = await purge_expired_keys(
        new_uow, clock=clock, batch_size=batch_size, max_batches=max_batches
    )
    return SweepResult(cancelled, purged)


class Sweeper:
    """Runs ``sweep`` every ``interval_seconds`` until ``stop()``; never raises."""

    def __init__(
        self,
        new_uow: Callable[[], OrdersUnitOfWork],
        *,
        step_timeout: timedelta,
        interval_seconds: float,
        clock: Clock = utc_now,
    ) -> None:
        self._new_uow = new_uow
        self._step_timeout = step_timeout
        self._interval = interval_seconds
        self._clock = clock
        self._stopping = asyncio.Event()
        self.sweeps = 0
        """Sweeps finished, failed ones included (for tests)."""

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await sweep(self._new_uow, step_timeout=self._step_timeout, clock=self._clock)
            except Exception:
                # A database outage must not end the sweeps: the next one retries.
                logger.exception("sweep failed; the next one retries")
            self.sweeps += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval)

    def stop(self) -> None:
        self._stopping.set()
