"""The archive writer: stored events to the archive bucket, in batches, each once.

A flush first writes the batches some writer claimed and never finished
(it stopped between the claim and the delete), then claims and writes new
ones until the queue is empty. A batch's key and events are fixed in the
claim's transaction; the object is written with ``If-None-Match: *``; its
events leave the queue only after. So a crash anywhere loses nothing (the
rows stay) and archives nothing twice (the same key, refused the second
time). Two writers (two audit tasks) claim apart (``SKIP LOCKED``) and may
both finish a stranded batch: one write lands, the other is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.backoff import Backoff
from bazaar_common.observability.metrics import record_archive_lag

logger = logging.getLogger("bazaar.audit.archive")


class ArchiveWriter:
    def __init__(
        self,
        new_uow: Callable[[], AuditUnitOfWork],
        store: ArchiveStore,
        *,
        max_events: int,
        interval_seconds: float,
        backoff: Backoff | None = None,
    ) -> None:
        self._new_uow = new_uow
        self._store = store
        self._max_events = max_events
        self._interval = interval_seconds
        self._backoff = backoff or Backoff(base_seconds=interval_seconds, cap_seconds=60.0)
        self._stopping = asyncio.Event()

    async def flush(self) -> int:
        """Write every queued event, or until ``stop()``; how many were written now.

        Between batches it looks at ``stop()``: under a steady inflow the
        queue may never be empty, and a stopping process must not wait for
        it (what is left stays queued for the next start).
        """
        async with self._new_uow() as uow:
            stranded = await uow.archive.claimed()
        written = await self._write(stranded)
        while not self._stopping.is_set():
            async with self._new_uow() as uow:
                keys = await uow.archive.claim(self._max_events)
                await uow.commit()
            if not keys:
                return written
            written += await self._write(keys)
        return written

    async def _write(self, keys: list[str]) -> int:
        written = 0
        for key in keys:
            async with self._new_uow() as uow:
                events = await uow.archive.batch(key)
            if events and await self._store.put_batch(key, events):
                written += len(events)
            elif events:
                logger.info("batch already archived", extra={"key": key})
            async with self._new_uow() as uow:
                await uow.archive.remove(key)
                await uow.commit()
        if written:
            logger.info("events archived", extra={"events": written, "batches": len(keys)})
        return written

    async def lag_seconds(self) -> float:
        """How long the longest-waiting queued event has waited; 0 when none."""
        async with self._new_uow() as uow:
            oldest = await uow.archive.oldest()
        return 0.0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds()

    async def run(self) -> None:
        """Flush every ``interval_seconds`` until ``stop()``; a failure waits and retries.

        After each flush, failed or not, the archive's lag is recorded
        (``bazaar.archive.lag``): while S3 is away it grows, and alarms.
        """
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.flush()
                failures, pause = 0, self._interval
            except Exception:
                # S3 or the database away: the events stay queued; back off.
                failures += 1
                pause = self._backoff.delay(failures)
                logger.exception("archive flush failed; retrying", extra={"failures": failures})
            with contextlib.suppress(Exception):  # the database away: no figure this time
                record_archive_lag(await self.lag_seconds())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), pause)

    def stop(self) -> None:
        self._stopping.set()
