"""The restore's parts on their own: a server back to a moment, and one that cannot get there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import asyncpg
import pytest

from bazaar_common.testing.point_in_time import PointInTime


@pytest.fixture
def server() -> Iterator[PointInTime]:
    pitr = PointInTime.new()
    pitr.start()
    try:
        yield pitr
    finally:
        if pitr.server.is_running():
            pitr.server.stop()
        pitr.server.remove()


async def execute(dsn: str, *statements: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def test_a_restore_keeps_the_commits_up_to_the_moment_and_only_those(server):
    dsn = server.server.admin_dsn
    await execute(dsn, "CREATE TABLE ticks (n int)")
    await server.base_backup()
    await execute(dsn, "INSERT INTO ticks SELECT generate_series(1, 5)")
    moment = datetime.now(UTC)
    await execute(dsn, "INSERT INTO ticks SELECT generate_series(6, 8)")
    await server.archive_current_wal()

    restored = await server.restore_to(moment)

    assert server.server.data_dir == restored
    connection = await asyncpg.connect(dsn)  # the same port, and writable: promoted
    try:
        kept = [row["n"] for row in await connection.fetch("SELECT n FROM ticks ORDER BY n")]
        assert kept == [1, 2, 3, 4, 5]
        assert await connection.fetchval("SELECT pg_is_in_recovery()") is False
        await connection.execute("INSERT INTO ticks VALUES (100)")
    finally:
        await connection.close()


async def test_a_moment_past_the_archived_wal_fails_the_restore_and_says_why(server):
    dsn = server.server.admin_dsn
    await execute(dsn, "CREATE TABLE ticks (n int)")
    await server.base_backup()
    await execute(dsn, "INSERT INTO ticks VALUES (1)")
    moment = datetime.now(UTC)  # no commit after it, no WAL switch: PG 13+ refuses to promote

    with pytest.raises(RuntimeError, match="recovery ended before configured recovery target"):
        await server.restore_to(moment, within=60)
    assert not server.server.is_running()
