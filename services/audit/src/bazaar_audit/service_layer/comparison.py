"""Two audit stores compared row by row: the proof that a rebuild equals the live store.

Both are read in event id order in one pass (a merge, constant memory), so
10^7 events compare as well as ten. Events received before ``cutoff`` must
be in both, equal in every column; later ones, still being archived while
the rebuild read the archive, must be equal where both hold them.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_audit.adapters.tables import events

MAX_LISTED = 10
_ROW = (
    events.c.event_id,
    events.c.type,
    events.c.source,
    events.c.subject,
    events.c.version,
    events.c.occurred_at,
    events.c.received_at,
    events.c.causation_id,
    events.c.traceparent,
    events.c.envelope,
)
_ID, _RECEIVED_AT = 0, 6


@dataclass
class Comparison:
    cutoff: datetime
    compared: int = 0
    """Events received before the cutoff, in both and equal."""
    digest: str = ""
    """SHA-256 of the compared rows, the same computed over either store."""
    only_live: list[str] = field(default_factory=list)
    only_rebuilt: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.only_live or self.only_rebuilt or self.different)

    def describe(self) -> str:
        if self.equal:
            return (
                f"equal: {self.compared} events received before {self.cutoff.isoformat()} "
                f"are in both, every column the same (sha256 {self.digest})"
            )
        parts = [
            f"{label}: {', '.join(ids[:MAX_LISTED])}{' ...' if len(ids) > MAX_LISTED else ''}"
            for label, ids in (
                ("only in the live store", self.only_live),
                ("only in the rebuilt store", self.only_rebuilt),
                ("different", self.different),
            )
            if ids
        ]
        return "NOT equal: " + "; ".join(parts)


async def compare_stores(
    live: AsyncEngine, rebuilt: AsyncEngine, *, cutoff: datetime
) -> Comparison:
    comparison = Comparison(cutoff=cutoff)
    digest = hashlib.sha256()
    live_rows, rebuilt_rows = _rows(live), _rows(rebuilt)
    left, right = await anext(live_rows, None), await anext(rebuilt_rows, None)
    while left is not None or right is not None:
        if left is not None and (right is None or left[_ID] < right[_ID]):
            if left[_RECEIVED_AT] < cutoff:
                comparison.only_live.append(str(left[_ID]))
            left = await anext(live_rows, None)
        elif right is not None and (left is None or right[_ID] < left[_ID]):
            if right[_RECEIVED_AT] < cutoff:
                comparison.only_rebuilt.append(str(right[_ID]))
            right = await anext(rebuilt_rows, None)
        elif left is not None and right is not None:  # the same event in both
            if left != right:
                comparison.different.append(str(left[_ID]))
            elif left[_RECEIVED_AT] < cutoff:
                comparison.compared += 1
                digest.update(repr(left).encode())
            left, right = await anext(live_rows, None), await anext(rebuilt_rows, None)
    comparison.digest = digest.hexdigest()
    return comparison


async def _rows(engine: AsyncEngine) -> AsyncIterator[tuple[Any, ...]]:
    async with engine.connect() as connection:
        result = await connection.stream(
            select(*_ROW).order_by(events.c.event_id).execution_options(yield_per=5_000)
        )
        async for row in result:
            yield tuple(row)
