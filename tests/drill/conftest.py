"""Fixtures of the restore drill: a Postgres server archiving its WAL, the stack on it, the archive.

The drill rewinds a whole Postgres server, so it gets one of its own
(``PointInTime``), never the session's; the moto server is the session's,
with resources under the stack's own prefix. Part of ``make test`` (no
marker deselects it), marked ``e2e`` like tests/e2e and ``slow``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bazaar_common.testing.moto import MotoServer
from bazaar_common.testing.point_in_time import PointInTime
from bazaar_devstack.bus_archive import BusArchive
from bazaar_devstack.stack import Stack

# Short, so the sweeper cancels within seconds what the restore left pending,
# yet longer than a step takes under the drill's load.
STEP_TIMEOUT_SECONDS = 5
SWEEP_INTERVAL_SECONDS = 0.5


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here starts servers of its own: e2e as tests/e2e, and slow."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def pitr() -> Iterator[PointInTime]:
    """A Postgres server of the drill's own, archiving its WAL (not yet backed up).

    In a folder of its own under the system's temporary folder, as the
    session's server: pytest's may be closed to the server's user.
    """
    pitr = PointInTime.new()
    pitr.start()
    try:
        yield pitr
    finally:
        if pitr.server.is_running():
            pitr.server.stop()
        pitr.server.remove()


@pytest.fixture(scope="module")
async def stack(
    pitr: PointInTime,
    moto_server: MotoServer,
    repository_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    stack = Stack(
        root=repository_root,
        logs=tmp_path_factory.mktemp("drill-logs"),
        admin_dsn=pitr.server.admin_dsn,
        moto_url=moto_server.url,
        service_runtime={
            "orders": {
                "SAGA_STEP_TIMEOUT_SECONDS": str(STEP_TIMEOUT_SECONDS),
                "SAGA_SWEEP_INTERVAL_SECONDS": str(SWEEP_INTERVAL_SECONDS),
            }
        },
    )
    await stack.provision()
    try:
        await asyncio.to_thread(stack.start_all)
        yield stack
    finally:
        # All at once: each takes a second or two to drain and exit.
        await asyncio.gather(*(asyncio.to_thread(stack.stop, name) for name in stack.services))
        await asyncio.to_thread(stack.stop_all)


@pytest.fixture(scope="module")
async def archive(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BusArchive]:
    """The bus's archive, from before the drill's first event; its JSONL beside the logs."""
    jsonl = tmp_path_factory.mktemp("drill-archive") / "archive.jsonl"
    async with BusArchive.of_stack(stack, jsonl=jsonl) as archive:
        yield archive
