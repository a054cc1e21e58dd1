"""Publish committed outbox rows to the bus, milliseconds after they commit.

The relay LISTENs on the channel ``Outbox.add`` NOTIFYs at commit, so it
wakes as soon as there is something to publish; a poll interval covers a lost
or impossible LISTEN. Each batch is claimed with ``FOR UPDATE SKIP LOCKED``
in its own transaction and marked published only for the entries the bus
accepted: several relays share one outbox without publishing a row twice, and
a relay that dies mid-batch leaves its rows to be published again (at least
once, never marked wrongly). Consumers deduplicate on the envelope id.

This module is the publishing loop; what wakes it is in ``relay_wakeup``,
the lag checks and pruning it runs between passes in ``outbox_upkeep``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.backoff import Backoff
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.outbox_upkeep import OutboxUpkeep
from bazaar_common.messaging.publisher import EventPublisher
from bazaar_common.messaging.relay_wakeup import RelayWakeup

logger = logging.getLogger("bazaar.messaging.relay")


@dataclass(frozen=True)
class _Pass:
    selected: int = 0
    published: int = 0
    failed: int = 0

    def __add__(self, other: _Pass) -> _Pass:
        return _Pass(
            self.selected + other.selected,
            self.published + other.published,
            self.failed + other.failed,
        )


class OutboxRelay:
    """Runs in the service process (see ``messaging.runtime``) until ``stop()``.

    ``clock`` (monotonic seconds) schedules pruning, lag checks and LISTEN
    retries; timestamps in the table come from the database's clock.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        publisher: EventPublisher,
        *,
        listen_dsn: str,
        poll_interval_seconds: float = 5.0,
        retention: timedelta = timedelta(days=7),
        batch_size: int = 10,
        name: str = "relay",
        clock: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
        prune_interval_seconds: float = 600.0,
        lag_interval_seconds: float = 10.0,
        listen_retry_seconds: float = 5.0,
        drain_seconds: float = 1.0,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._publisher = publisher
        self._batch_size = batch_size
        self._name = name
        self._clock = clock
        self._backoff = backoff or Backoff()
        self._drain_seconds = drain_seconds
        self._stopping = asyncio.Event()
        self._wakeup = RelayWakeup(
            listen_dsn,
            poll_interval_seconds=poll_interval_seconds,
            retry_seconds=listen_retry_seconds,
            clock=clock,
            stopping=self._stopping,
            name=name,
        )
        self._upkeep = OutboxUpkeep(
            engine,
            outbox,
            retention=retention,
            prune_interval_seconds=prune_interval_seconds,
            lag_interval_seconds=lag_interval_seconds,
            clock=clock,
            name=name,
        )

    @property
    def listening(self) -> bool:
        """Whether a NOTIFY wakes the relay now (otherwise it only polls)."""
        return self._wakeup.listening

    async def run(self) -> None:
        """Publish until ``stop()``; an error is logged and backed off, never raised."""
        failures = 0
        try:
            while not self._stopping.is_set():
                await self._wakeup.ensure_listening()
                # Cleared before the pass: a NOTIFY that arrives during it is
                # for rows the pass may have missed, and wakes the next one.
                self._wakeup.clear()
                failures = 0 if await self._pass() else failures + 1
                await self._upkeep.run_when_due()
                if failures:
                    await self._back_off(failures)
                else:
                    await self._wakeup.wait()
            if not failures:
                # The consumer is stopped first (runtime): what its last
                # handlers wrote goes out now rather than with the next task.
                await self._pass(until=self._clock() + self._drain_seconds)
        finally:
            await self._wakeup.close()

    async def stop(self) -> None:
        """Ask ``run()`` to return; await its task to know it has.

        It finishes the batch in hand, publishes what is left for at most
        ``drain_seconds`` (unless the bus is failing), then closes its listener.
        """
        self._stopping.set()
        self._wakeup.wake()

    async def publish_pending(self) -> int:
        """Publish unpublished rows, batch after batch; returns how many.

        Stops at a short batch (nothing more, or the rest is locked by
        another relay) or at the first batch with a failure, whose entries
        wait for a later pass.
        """
        return (await self._publish_pending()).published

    async def oldest_unpublished_age_seconds(self) -> float | None:
        """The outbox lag: age of the oldest unpublished row, ``None`` if none."""
        return await self._upkeep.oldest_unpublished_age_seconds()

    async def prune_published(self) -> int:
        """Delete rows published longer than ``retention`` ago; never unpublished ones."""
        return await self._upkeep.prune_published()

    async def _pass(self, *, until: float | None = None) -> bool:
        """One ``publish_pending`` pass; False if anything failed or raised."""
        try:
            result = await self._publish_pending(until=until)
        except Exception:
            logger.exception("outbox pass failed", extra={"relay": self._name})
            return False
        return result.failed == 0

    async def _publish_pending(self, *, until: float | None = None) -> _Pass:
        total = _Pass()
        while True:
            batch = await self._publish_batch()
            total += batch
            if batch.failed or batch.selected < self._batch_size:
                return total
            if until is None and self._stopping.is_set():
                return total  # run() drains what is left, within its deadline
            if until is not None and self._clock() >= until:
                return total

    async def _publish_batch(self) -> _Pass:
        outbox = self._outbox
        claim = (
            select(outbox.c.id, outbox.c.envelope)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.created_at, outbox.c.id)
            .limit(self._batch_size)
            .with_for_update(skip_locked=True)
        )
        # The row locks are held across PutEvents: the batch is small, the
        # call is bounded, and other relays skip these rows meanwhile.
        async with self._engine.begin() as connection:
            rows = (await connection.execute(claim)).all()
            if not rows:
                return _Pass()
            errors = await self._publish_rows([row.envelope for row in rows])
            accepted = [row.id for row, error in zip(rows, errors, strict=True) if error is None]
            failed = [
                {"row_id": row.id, "error": error}
                for row, error in zip(rows, errors, strict=True)
                if error is not None
            ]
            if accepted:
                await connection.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(accepted))
                    # When the bus accepted them, not when this transaction began.
                    .values(published_at=func.clock_timestamp())
                )
            if failed:
                await connection.execute(
                    update(outbox)
                    .where(outbox.c.id == bindparam("row_id"))
                    .values(attempts=outbox.c.attempts + 1, last_error=bindparam("error")),
                    failed,
                )
        result = _Pass(selected=len(rows), published=len(accepted), failed=len(failed))
        self._log_batch(result, failed)
        return result

    async def _publish_rows(self, stored: list[Any]) -> list[str | None]:
        """The publisher's answer per stored envelope; one that does not parse is refused here."""
        errors: list[str | None] = [None] * len(stored)
        envelopes: list[Envelope] = []
        positions: list[int] = []
        for position, payload in enumerate(stored):
            try:
                envelopes.append(Envelope.model_validate(payload))
                positions.append(position)
            except ValidationError as error:
                errors[position] = f"InvalidEnvelope: {error.error_count()} errors"
        if envelopes:
            answers = await self._publisher.publish(envelopes)
            if len(answers) != len(envelopes):
                # Which ones were accepted is unknown: roll back, mark nothing.
                raise RuntimeError(f"publisher answered {len(answers)} of {len(envelopes)}")
            for position, answer in zip(positions, answers, strict=True):
                errors[position] = answer
        return errors

    def _log_batch(self, result: _Pass, failed: list[dict[str, Any]]) -> None:
        fields = {"relay": self._name, "published": result.published, "failed": result.failed}
        if failed:
            logger.warning(
                "outbox batch partly failed", extra={**fields, "first_error": failed[0]["error"]}
            )
        else:
            logger.info("outbox batch published", extra=fields)

    async def _back_off(self, failures: int) -> None:
        delay = self._backoff.delay(failures)
        logger.warning(
            "outbox relay backing off",
            extra={"relay": self._name, "failures": failures, "retry_in_seconds": delay},
        )
        # Only stop() cuts this short: a NOTIFY must not defeat the backoff.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._stopping.wait()
