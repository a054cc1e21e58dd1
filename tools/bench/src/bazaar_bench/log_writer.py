"""The generated event log copied into audit's ``events`` table, as fast as two cores allow.

The events are made in a process of their own (``EventLog`` lives there,
so the log carries on from step to step), chunk by chunk, while this one
copies the previous chunk into Postgres with ``COPY ... FROM STDIN``: the
generator and the Postgres backend each keep a core busy. Inserting is all
the table's append-only trigger allows, and all a COPY does.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType

import asyncpg

from bazaar_bench.event_log import COLUMNS, EventLog

CHUNK_EVENTS = 20_000
# Events per COPY (one transaction each): a failure loses one batch, and progress shows.
BATCH_EVENTS = 1_000_000

_log: EventLog | None = None


def _start(seed: int) -> None:
    global _log  # the generator process's one log
    _log = EventLog(seed)


def _chunk(count: int) -> bytes:
    """The log's next ``count`` events as COPY text (in the generator process)."""
    assert _log is not None, "the process was started without its log"
    return "".join(event.copy_line() for event in _log.events(count)).encode()


class LogWriter:
    """``async with LogWriter(dsn) as writer: await writer.append(n)``: n more events."""

    def __init__(self, dsn: str, *, seed: int = 0) -> None:
        self.dsn = dsn
        self.written = 0
        # spawn, not fork: this process has threads (the OTLP receiver's, asyncio's).
        self._pool = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(seed,)
        )

    async def __aenter__(self) -> LogWriter:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._pool.shutdown(cancel_futures=True)

    async def append(self, count: int) -> float:
        """Copy the log's next ``count`` events into ``events``; the seconds it took."""
        started = time.perf_counter()
        connection = await asyncpg.connect(self.dsn)
        try:
            left = count
            while left:
                batch = min(left, BATCH_EVENTS)
                await connection.copy_to_table(
                    "events", source=self._chunks(batch), columns=list(COLUMNS), format="text"
                )
                left -= batch
                self.written += batch
                elapsed = time.perf_counter() - started
                print(
                    f"event log: {self.written:,} events ({(count - left) / elapsed:,.0f}/s)",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            await connection.close()
        return time.perf_counter() - started

    async def _chunks(self, count: int) -> AsyncIterator[bytes]:
        """The chunks of ``count`` events, each asked for before the previous one is sent."""
        loop = asyncio.get_running_loop()
        sizes = [min(CHUNK_EVENTS, count - start) for start in range(0, count, CHUNK_EVENTS)]
        following = loop.run_in_executor(self._pool, _chunk, sizes[0])
        for next_size in [*sizes[1:], 0]:
            chunk = await following
            if next_size:
                following = loop.run_in_executor(self._pool, _chunk, next_size)
            yield chunk
