"""A background job runs for the ``async with`` and is stopped, or cancelled when it lingers."""

from __future__ import annotations

import asyncio

from bazaar_common.background import running_job


class Ticking:
    def __init__(self, *, ignores_stop: bool = False) -> None:
        self.ticks = 0
        self.cancelled = False
        self._stopping = asyncio.Event()
        self._ignores_stop = ignores_stop

    async def run(self) -> None:
        try:
            while self._ignores_stop or not self._stopping.is_set():
                self.ticks += 1
                await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            self.cancelled = True
            raise

    def stop(self) -> None:
        self._stopping.set()


async def test_the_job_runs_inside_and_stops_on_the_way_out():
    job = Ticking()

    async with running_job(job, name="ticking", stop_within=1.0):
        await asyncio.sleep(0.1)
    ticks = job.ticks
    await asyncio.sleep(0.05)

    assert ticks > 1
    assert job.ticks == ticks
    assert not job.cancelled


async def test_a_job_that_does_not_stop_is_cancelled_in_time(caplog):
    job = Ticking(ignores_stop=True)

    async with asyncio.timeout(2), running_job(job, name="stuck", stop_within=0.1):
        pass

    assert job.cancelled
    assert "did not stop in time" in caplog.text
