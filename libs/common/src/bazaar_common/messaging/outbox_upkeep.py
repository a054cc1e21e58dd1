"""The outbox's upkeep beside publishing: its lag measured, its published rows pruned.

Both run from the relay's loop when due (``run_when_due``); their failures
are logged and never stop publishing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.observability.metrics import record_outbox_lag

logger = logging.getLogger("bazaar.messaging.relay")

_PRUNE_CHUNK = 10_000  # rows per DELETE, so a large first prune holds no long lock


class OutboxUpkeep:
    """``clock`` (monotonic seconds) says when each is due; ``name`` is the relay's."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        *,
        retention: timedelta,
        prune_interval_seconds: float,
        lag_interval_seconds: float,
        clock: Callable[[], float],
        name: str,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._retention = retention
        self._prune_interval = prune_interval_seconds
        self._lag_interval = lag_interval_seconds
        self._clock = clock
        self._name = name
        self._next_prune = float("-inf")
        self._next_lag_check = float("-inf")

    async def oldest_unpublished_age_seconds(self) -> float | None:
        """The outbox lag: age of the oldest unpublished row, ``None`` if none."""
        outbox = self._outbox
        query = select(func.extract("epoch", func.now() - func.min(outbox.c.created_at))).where(
            outbox.c.published_at.is_(None)
        )
        async with self._engine.connect() as connection:
            age = await connection.scalar(query)
        return None if age is None else max(0.0, float(age))

    async def prune_published(self) -> int:
        """Delete rows published longer than ``retention`` ago; never unpublished ones."""
        outbox = self._outbox
        old = (
            select(outbox.c.id)
            .where(outbox.c.published_at < func.now() - self._retention)
            .limit(_PRUNE_CHUNK)
            .scalar_subquery()
        )
        pruned = 0
        while True:
            async with self._engine.begin() as connection:
                deleted = await connection.execute(delete(outbox).where(outbox.c.id.in_(old)))
            pruned += deleted.rowcount
            if deleted.rowcount < _PRUNE_CHUNK:
                return pruned

    async def run_when_due(self) -> None:
        """Lag check and pruning when due; their failures never stop publishing."""
        now = self._clock()
        if now >= self._next_lag_check:
            self._next_lag_check = now + self._lag_interval
            try:
                lag = await self.oldest_unpublished_age_seconds()
            except Exception:
                logger.exception("outbox lag check failed", extra={"relay": self._name})
            else:
                record_outbox_lag(self._name, lag or 0.0)
                logger.log(
                    logging.INFO if lag else logging.DEBUG,
                    "outbox lag",
                    extra={"relay": self._name, "outbox_lag_seconds": lag or 0.0},
                )
        if now >= self._next_prune:
            self._next_prune = now + self._prune_interval
            try:
                pruned = await self.prune_published()
            except Exception:
                logger.exception("outbox prune failed", extra={"relay": self._name})
            else:
                logger.info("outbox pruned", extra={"relay": self._name, "pruned": pruned})
