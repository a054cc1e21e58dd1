"""The running relay: woken by NOTIFY, polling without it, backing off, stopping."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from bazaar_common.backoff import Backoff

NO_POSTGRES_HERE = "postgresql://postgres@127.0.0.1:1/nowhere"


class FailingFirst:
    """Fails its first ``failures`` calls (raising, or refusing every entry), then delegates."""

    def __init__(self, inner, failures, *, raises=True):
        self.inner = inner
        self.failures = failures
        self.raises = raises
        self.calls = 0

    async def publish(self, envelopes):
        self.calls += 1
        if self.calls <= self.failures:
            if self.raises:
                raise RuntimeError("bus unreachable")
            return ["ServiceUnavailable: try later"] * len(envelopes)
        return await self.inner.publish(envelopes)


@pytest.fixture
def published(outbox_rows):
    """An async predicate: has this envelope's row been published?"""

    def check(envelope):
        async def predicate():
            rows = {row["id"]: row for row in await outbox_rows()}
            return rows[envelope.id]["published_at"] is not None

        return predicate

    return check


@pytest.fixture
def listener_pids(db):
    async def pids():
        async with db.engine.connect() as connection:
            result = await connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
                )
            )
            return set(result.scalars())

    return pids


async def test_a_notify_wakes_the_relay_long_before_its_poll(
    publisher, relays, write_notes, published, wait_until
):
    relay = relays.make(publisher, poll_interval_seconds=30)
    [first] = await write_notes()
    relays.start(relay)
    await wait_until(published(first), within=5)  # the pass at start
    assert relay.listening
    await asyncio.sleep(0.1)  # the relay now waits: 30 s, or a NOTIFY

    [second] = await write_notes()

    await wait_until(published(second), within=2)


async def test_without_listen_the_poll_still_publishes(
    publisher, relays, write_notes, published, wait_until
):
    relay = relays.make(publisher, listen_dsn=NO_POSTGRES_HERE, poll_interval_seconds=0.2)
    relays.start(relay)
    await asyncio.sleep(0.1)

    [envelope] = await write_notes()

    await wait_until(published(envelope), within=3)
    assert not relay.listening


async def test_a_dropped_listener_is_replaced(
    db, publisher, relays, write_notes, published, wait_until, listener_pids
):
    relay = relays.make(publisher, poll_interval_seconds=30, listen_retry_seconds=0.05)
    relays.start(relay)

    async def one_listener():
        return len(await listener_pids()) == 1

    await wait_until(one_listener)
    [dropped] = await listener_pids()
    async with db.engine.connect() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

    async def replaced():
        return relay.listening and (await listener_pids()) - {dropped}

    await wait_until(replaced, within=5)
    await asyncio.sleep(0.1)
    [envelope] = await write_notes()
    await wait_until(published(envelope), within=2)


@pytest.mark.parametrize("raises", [True, False], ids=["publisher-raises", "entries-refused"])
async def test_failures_are_backed_off_with_growing_delays_then_published(
    publisher, relays, write_notes, published, wait_until, caplog, raises
):
    flaky = FailingFirst(publisher, 3, raises=raises)
    backoff = Backoff(base_seconds=0.01, cap_seconds=1.0, random=lambda: 1.0)
    relay = relays.make(flaky, backoff=backoff, lag_interval_seconds=0)
    [envelope] = await write_notes()

    with caplog.at_level(logging.INFO, logger="bazaar.messaging.relay"):
        relays.start(relay)
        await wait_until(published(envelope), within=5)

    assert flaky.calls == 4
    records = [record for record in caplog.records if record.name == "bazaar.messaging.relay"]
    backing_off = [r for r in records if r.getMessage() == "outbox relay backing off"]
    assert [r.failures for r in backing_off] == [1, 2, 3]
    assert [r.retry_in_seconds for r in backing_off] == pytest.approx([0.01, 0.02, 0.04])
    lags = [r.outbox_lag_seconds for r in records if r.getMessage() == "outbox lag"]
    assert lags
    assert lags[0] > 0  # measured while the row waited
    batches = [r for r in records if r.getMessage() == "outbox batch published"]
    assert [(r.published, r.failed) for r in batches] == [(1, 0)]


async def test_stop_returns_promptly_when_idle_and_closes_the_listener(
    publisher, relays, wait_until, listener_pids
):
    relay = relays.make(publisher, poll_interval_seconds=30)
    task = relays.start(relay)

    async def listening():
        return relay.listening

    await wait_until(listening)
    await asyncio.sleep(0.05)

    await relay.stop()
    async with asyncio.timeout(1):
        await task
    assert not relay.listening

    async def no_listener():
        return not await listener_pids()

    await wait_until(no_listener, within=2)


async def test_stop_cuts_a_backoff_short(publisher, relays, write_notes, wait_until):
    failing = FailingFirst(publisher, 1_000)
    backoff = Backoff(base_seconds=20, cap_seconds=30, random=lambda: 1.0)
    relay = relays.make(failing, backoff=backoff)
    await write_notes()
    task = relays.start(relay)

    async def failed_once():
        return failing.calls >= 1

    await wait_until(failed_once)

    await relay.stop()
    async with asyncio.timeout(1):
        await task
    assert failing.calls == 1  # no last pass for a failing bus


async def test_stop_publishes_what_was_committed_just_before(
    publisher, relays, write_notes, published, wait_until
):
    # No LISTEN and a long poll: only the last pass at stop can publish the second note.
    relay = relays.make(publisher, listen_dsn=NO_POSTGRES_HERE, poll_interval_seconds=30)
    [first] = await write_notes()
    task = relays.start(relay)
    await wait_until(published(first))
    [second] = await write_notes()

    await relay.stop()
    async with asyncio.timeout(2):
        await task

    assert await published(second)()
