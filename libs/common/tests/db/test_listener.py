"""The channel listener on a real Postgres: payloads, a lost connection, the retry interval."""

from __future__ import annotations

import asyncpg
import pytest

from bazaar_common.db.listener import ChannelListener
from bazaar_common.testing.clock import FakeClock
from bazaar_common.testing.waiting import wait_until

NO_POSTGRES_HERE = "postgresql://postgres@127.0.0.1:1/nowhere"


@pytest.fixture
def dsn(fresh_database_url: str) -> str:
    return fresh_database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_payloads_reach_the_callback_and_a_lost_connection_is_reported(dsn):
    heard: list[str] = []
    lost: list[bool] = []
    listener = ChannelListener(
        dsn,
        "things",
        on_notify=heard.append,
        on_lost=lambda: lost.append(True),
        retry_seconds=60,
        clock=FakeClock(),
        application_name="listener-test",
    )
    assert await listener.ensure_listening()
    assert not await listener.ensure_listening()  # already listening: nothing to catch up
    sender = await asyncpg.connect(dsn)
    try:
        await sender.execute("SELECT pg_notify('things', 'a'), pg_notify('other', 'b')")
        await sender.execute("NOTIFY things")
        await wait_until(lambda: len(heard) == 2, within=5)
        assert heard == ["a", ""]

        await sender.execute("SELECT pg_terminate_backend($1)", listener.server_pid)
        await wait_until(lambda: bool(lost), within=5)
        assert not listener.listening
        assert listener.server_pid is None
    finally:
        await sender.close()
        await listener.close()


async def test_a_refused_connection_is_retried_only_after_the_interval():
    clock = FakeClock()
    refusals: list[bool] = []
    listener = ChannelListener(
        NO_POSTGRES_HERE,
        "things",
        on_notify=lambda payload: None,
        on_refused=lambda error, first: refusals.append(first),
        retry_seconds=5,
        clock=clock,
    )
    assert not await listener.ensure_listening()
    assert not await listener.ensure_listening()  # too soon: not even tried
    assert listener.seconds_to_next_attempt == 5
    clock.advance(5)
    assert not await listener.ensure_listening()

    assert refusals == [True, False]  # the outage is reported once as new
