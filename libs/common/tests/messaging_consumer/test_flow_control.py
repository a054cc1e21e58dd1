"""Long handlers keep their message, concurrency is bounded, stop() drains in time."""

from __future__ import annotations

import asyncio

import pytest

from bazaar_common.backoff import Backoff


async def test_a_handler_longer_than_the_visibility_timeout_is_not_redelivered(
    db, make_bus, envelope, publish, consumers, record_effect, wait_until, queue_depth
):
    bus = await make_bus(visibility_timeout_seconds=1)
    calls = []

    async def slow(event, envelope, uow):
        calls.append(envelope.id)
        await asyncio.sleep(3)
        await record_effect(event, envelope, uow)

    consumer = consumers.make(bus, {"ParcelPacked": slow}, visibility_timeout_seconds=1)
    consumers.start(consumer)

    await publish(bus, envelope())

    await wait_until(lambda: consumer.stats.acked == 1)
    await asyncio.sleep(1.5)  # a redelivery, had there been one, would show now
    assert len(calls) == 1
    assert (consumer.stats.received, consumer.stats.duplicates) == (1, 0)
    assert await db.effect_count() == 1
    assert await queue_depth(bus.queue_url) == (0, 0)


async def test_no_more_than_concurrency_messages_are_held_or_handled_at_once(
    db, make_bus, envelope, publish, consumers, record_effect, sqs_spy, wait_until
):
    bus = await make_bus(visibility_timeout_seconds=10)
    running = 0
    peak = 0
    held = []

    async def slow(event, envelope, uow):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        held.append(consumer.in_hand)
        try:
            await asyncio.sleep(0.2)
            await record_effect(event, envelope, uow)
        finally:
            running -= 1

    spy = sqs_spy()
    consumer = consumers.make(bus, {"ParcelPacked": slow}, client=spy, concurrency=3)
    consumers.start(consumer)

    await publish(bus, *[envelope() for _ in range(20)])

    await wait_until(lambda: consumer.stats.acked == 20, within=20)
    assert peak == 3
    assert max(held) <= 3
    assert all(asked <= 3 for _, asked in spy.receive_calls)
    assert await db.effect_count() == 20


async def test_stop_finishes_the_messages_in_hand_and_receives_no_more(
    db, make_bus, envelope, publish, consumers, record_effect, sqs_spy, wait_until, queue_depth
):
    bus = await make_bus(visibility_timeout_seconds=10)
    started = []

    async def slow(event, envelope, uow):
        started.append(envelope.id)
        await asyncio.sleep(1)
        await record_effect(event, envelope, uow)

    spy = sqs_spy()
    consumer = consumers.make(bus, {"ParcelPacked": slow}, client=spy, concurrency=3)
    task = consumers.start(consumer)
    await publish(bus, *[envelope() for _ in range(5)])
    await wait_until(lambda: len(started) == 3)

    loop = asyncio.get_running_loop()
    stop_called = loop.time()
    await consumer.stop(timeout=5)
    stopped_after = loop.time() - stop_called

    assert stopped_after < 2.0  # the handlers' one second, not the timeout
    assert task.done()
    assert consumer.stats.acked == 3
    assert await db.effect_count() == 3
    assert [at for at, _ in spy.receive_calls if at >= stop_called] == []
    await asyncio.sleep(0.5)
    assert len(started) == 3
    assert await queue_depth(bus.queue_url) == (2, 0)


async def test_stop_cancels_handlers_still_running_at_the_timeout_and_their_message_returns(
    db, make_bus, envelope, publish, consumers, record_effect, wait_until, queue_depth
):
    bus = await make_bus(visibility_timeout_seconds=1)
    started = asyncio.Event()

    async def stuck(event, envelope, uow):
        await record_effect(event, envelope, uow)
        started.set()
        await asyncio.sleep(60)

    consumer = consumers.make(bus, {"ParcelPacked": stuck}, visibility_timeout_seconds=1)
    task = consumers.start(consumer)
    await publish(bus, envelope())
    async with asyncio.timeout(10):
        await started.wait()

    loop = asyncio.get_running_loop()
    began = loop.time()
    await consumer.stop(timeout=1.5)

    assert loop.time() - began < 1.8
    assert task.done()
    assert await db.effect_count() == 0  # rolled back
    assert await db.inbox_ids() == []
    await wait_until(lambda: _visible(queue_depth, bus.queue_url), within=5)


async def test_stop_abandons_an_idle_long_poll_at_once(make_bus, consumers, record_effect):
    bus = await make_bus()
    consumer = consumers.make(bus, {"ParcelPacked": record_effect}, wait_seconds=20)
    task = consumers.start(consumer)
    await asyncio.sleep(0.3)  # inside the long poll now

    loop = asyncio.get_running_loop()
    began = loop.time()
    await consumer.stop(timeout=5)

    assert loop.time() - began < 0.5
    assert task.done()


async def test_receive_errors_back_off_and_the_loop_keeps_going(
    make_bus, envelope, publish, consumers, record_effect, sqs_spy, wait_until, caplog
):
    bus = await make_bus()
    consumer = consumers.make(
        bus,
        {"ParcelPacked": record_effect},
        client=sqs_spy(failing_receives=3),
        backoff=Backoff(base_seconds=0.05, cap_seconds=0.2),
    )
    consumers.start(consumer)

    await publish(bus, envelope())

    await wait_until(lambda: consumer.stats.acked == 1)
    assert consumer.stats.receive_errors == 3
    backoffs = [r for r in caplog.records if r.getMessage() == "receive failed; backing off"]
    assert [r.failures for r in backoffs] == [1, 2, 3]
    assert all(0 <= r.retry_in_seconds <= 0.2 for r in backoffs)


async def _visible(queue_depth, queue_url):
    visible, _ = await queue_depth(queue_url)
    return visible == 1


@pytest.fixture(autouse=True)
def _capture_consumer_logs(caplog):
    caplog.set_level("INFO", logger="bazaar.messaging.consumer")
