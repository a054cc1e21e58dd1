"""Rendered catalog bodies, least recently used out, each dropped when a sku it shows changes.

An entry is the exact body a route answered, its ETag and the skus it
shows (``SkuSpan``): a product is its sku; a keyset page is every sku after
its cursor up to its last item (or beyond, for the last page), since any
change there, even to a product the page does not show yet, can change which
products it holds. Entries expire ``ttl_seconds`` after their read started,
so none is older than the max-age the responses state.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SkuSpan:
    """The skus whose change may change a body: ``only`` one, or those in (after, through]."""

    only: str | None = None
    after: str | None = None
    through: str | None = None

    @classmethod
    def product(cls, sku: str) -> SkuSpan:
        return cls(only=sku)

    @classmethod
    def page(cls, *, after: str | None, through: str | None) -> SkuSpan:
        """``through=None``: the page is the last one, so any sku after ``after`` may join it."""
        return cls(after=after, through=through)

    def covers(self, sku: str) -> bool:
        if self.only is not None:
            return sku == self.only
        return (self.after is None or sku > self.after) and (
            self.through is None or sku <= self.through
        )


@dataclass(frozen=True, slots=True)
class CachedBody:
    body: bytes
    etag: str
    shows: SkuSpan
    read_at: float
    """Monotonic time the database read began: what the body's age counts from."""


@dataclass(slots=True)
class CacheCounts:
    """Since the process started; the benchmark's hit ratio is hits / (hits + misses)."""

    hits: int = 0
    misses: int = 0
    bypasses: int = 0
    invalidations: int = 0
    evictions: int = 0
    clears: int = 0

    def record(self, outcome: str) -> None:
        if outcome == "hit":
            self.hits += 1
        elif outcome == "miss":
            self.misses += 1
        else:
            self.bypasses += 1


Invalidation = tuple[int, frozenset[str] | None]
"""(generation, skus) of one invalidation; None for skus: everything."""

REMEMBERED_INVALIDATIONS = 1_024
"""How many recent invalidations ``put`` checks a read against; an older read is not kept."""
AWAITED_ECHOES = 10_000
"""Beyond this many own writes not yet echoed by NOTIFY, forget them (the safe side)."""


class CatalogStore:
    """Single event loop only: no locks, every method runs to completion between awaits.

    A write is heard twice when this process made it: at once from the unit
    of work (``invalidate(local=True)``) and a moment later as its NOTIFY
    (``heard``). The echo changes nothing and is skipped, so an entry read
    right after the write is kept. Postgres delivers every committed
    transaction's notification once and in commit order, so counting echoes
    per sku is enough; any that never comes (the listener was lost) is
    forgotten with everything else by ``clear``. Were one missed anyway, the
    entry would still expire within the max-age the response states.
    """

    def __init__(
        self,
        *,
        max_entries: int,
        ttl_seconds: float,
        clock: Callable[[], float],
        max_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()
        self._max_entries = max_entries
        # Pages hold up to 100 products of up to 2000-character descriptions:
        # a count alone would let a few thousand entries take gigabytes.
        self._max_bytes = max_bytes
        self._bytes = 0
        self._ttl = ttl_seconds
        self._clock = clock
        self._serving: Callable[[], bool] = lambda: True
        self.generation = 0
        """Bumped by every invalidation; ``put`` checks the ones since a read began."""
        self._recent: deque[Invalidation] = deque(maxlen=REMEMBERED_INVALIDATIONS)
        self._awaited_echoes: dict[str, int] = {}
        self.counts = CacheCounts()

    @property
    def enabled(self) -> bool:
        return self._max_entries > 0 and self._ttl > 0

    @property
    def serving(self) -> bool:
        """False while the cache cannot hear writes (no LISTEN): then every read loads."""
        return self.enabled and self._serving()

    def serve_only_when(self, condition: Callable[[], bool]) -> None:
        self._serving = condition

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def read_began(self) -> tuple[int, float]:
        """The generation and time to give ``put`` and ``CachedBody.read_at`` for a read now."""
        return self.generation, self._clock()

    def age_of(self, entry: CachedBody) -> float:
        return max(0.0, self._clock() - entry.read_at)

    def get(self, key: Hashable) -> CachedBody | None:
        if not self.serving:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self.age_of(entry) >= self._ttl:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: CachedBody, *, read_in_generation: int) -> bool:
        """Keep ``entry`` unless a write to a sku it shows was heard since its read began.

        That write may have committed before the read's snapshot or after
        it: the body may be older than the write, and nothing would drop it.
        True if kept.
        """
        if not self.serving or self._changed_since(read_in_generation, entry.shows):
            return False
        if len(entry.body) > self._max_bytes:
            return False
        self._drop(key)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))
            self.counts.evictions += 1
        return True

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)

    def _changed_since(self, generation: int, shows: SkuSpan) -> bool:
        if generation == self.generation:
            return False
        if not self._recent or self._recent[0][0] > generation + 1:
            return True  # older than what is remembered
        return any(
            skus is None or any(shows.covers(sku) for sku in skus)
            for heard_in, skus in self._recent
            if heard_in > generation
        )

    def invalidate(self, skus: Collection[str], *, local: bool = False) -> None:
        """Drop every entry that shows one of ``skus``; ``local``: written by this process."""
        if local:
            if len(self._awaited_echoes) > AWAITED_ECHOES:
                self._awaited_echoes.clear()
            for sku in skus:
                self._awaited_echoes[sku] = self._awaited_echoes.get(sku, 0) + 1
        self.generation += 1
        self._recent.append((self.generation, frozenset(skus)))
        self.counts.invalidations += 1
        stale = [
            key
            for key, entry in self._entries.items()
            if any(entry.shows.covers(sku) for sku in skus)
        ]
        for key in stale:
            self._drop(key)

    def clear(self) -> None:
        self.generation += 1
        self._recent.append((self.generation, None))
        self._awaited_echoes.clear()
        self.counts.clears += 1
        self._entries.clear()
        self._bytes = 0

    def heard(self, payload: str) -> None:
        """A NOTIFY from migration 0003's trigger: a sku, or empty after a TRUNCATE."""
        if not payload:
            self.clear()
            return
        awaited = self._awaited_echoes.get(payload, 0)
        if awaited:
            # This process's own write, already invalidated at its commit.
            if awaited == 1:
                del self._awaited_echoes[payload]
            else:
                self._awaited_echoes[payload] = awaited - 1
            return
        self.invalidate((payload,))
