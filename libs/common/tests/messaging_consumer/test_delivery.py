"""Each event has its effect once: duplicates, crashes before delete and retries change nothing."""

from __future__ import annotations

import asyncio

from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.messaging.trace_context import current_traceparent

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


async def test_an_event_published_on_the_bus_is_handled_once(
    db, make_bus, envelope, publish, consumers, record_effect, wait_until, queue_depth
):
    bus = await make_bus()
    consumer = consumers.make(bus, {"ParcelPacked": record_effect})
    consumers.start(consumer)
    packed = envelope()

    await publish(bus, packed)

    await wait_until(lambda: consumer.stats.acked == 1)
    assert await db.effect_count() == 1
    assert await db.inbox_ids() == [packed.id]
    assert await queue_depth(bus.queue_url) == (0, 0)
    assert (consumer.stats.received, consumer.stats.duplicates, consumer.stats.failed) == (1, 0, 0)


async def test_the_same_message_delivered_twice_has_one_effect(
    db,
    moto_aws,
    make_bus,
    envelope,
    eventbridge_body,
    consumers,
    record_effect,
    wait_until,
    queue_depth,
):
    sqs = moto_aws.sqs
    bus = await make_bus()
    body = eventbridge_body(envelope())
    for _ in range(2):
        await sqs.send_message(QueueUrl=bus.queue_url, MessageBody=body)
    consumer = consumers.make(bus, {"ParcelPacked": record_effect})
    consumers.start(consumer)

    await wait_until(lambda: consumer.stats.acked + consumer.stats.duplicates == 2)
    assert (consumer.stats.acked, consumer.stats.duplicates) == (1, 1)
    assert await db.effect_count() == 1
    assert await queue_depth(bus.queue_url) == (0, 0)


async def test_a_crash_after_commit_before_delete_has_one_effect(
    db, make_bus, envelope, publish, consumers, record_effect, sqs_spy, wait_until, queue_depth
):
    bus = await make_bus(visibility_timeout_seconds=1)
    consumer = consumers.make(
        bus,
        {"ParcelPacked": record_effect},
        client=sqs_spy(failing_deletes=1),
        visibility_timeout_seconds=1,
    )
    consumers.start(consumer)

    await publish(bus, envelope())

    # Committed, not deleted: it comes back after its visibility timeout.
    await wait_until(lambda: consumer.stats.duplicates == 1, within=15)
    assert (consumer.stats.acked, consumer.stats.delete_errors) == (0, 1)
    assert await db.effect_count() == 1
    assert await queue_depth(bus.queue_url) == (0, 0)


async def test_a_handler_failing_twice_then_succeeding_has_one_effect_and_no_dead_letter(
    db, make_bus, envelope, publish, consumers, record_effect, wait_until, queue_depth
):
    bus = await make_bus(max_receive_count=4, visibility_timeout_seconds=1)
    attempts = []

    async def flaky(event, envelope, uow):
        attempts.append(envelope.id)
        await record_effect(event, envelope, uow)  # written, then rolled back below
        if len(attempts) <= 2:
            raise ConnectionError("downstream briefly unavailable")

    consumer = consumers.make(bus, {"ParcelPacked": flaky}, visibility_timeout_seconds=1)
    consumers.start(consumer)

    await publish(bus, envelope())

    await wait_until(lambda: consumer.stats.acked == 1, within=15)
    assert len(attempts) == 3
    assert consumer.stats.failed == 2
    assert await db.effect_count() == 1
    assert len(await db.inbox_ids()) == 1
    assert await queue_depth(bus.queue_url) == (0, 0)
    assert await queue_depth(bus.dlq_url) == (0, 0)


async def test_a_hung_handler_is_cancelled_rolled_back_and_its_message_retried(
    db, make_bus, envelope, publish, consumers, record_effect, wait_until
):
    bus = await make_bus(visibility_timeout_seconds=1)
    calls = []

    async def hangs_once(event, envelope, uow):
        calls.append(envelope.id)
        await record_effect(event, envelope, uow)
        if len(calls) == 1:
            await asyncio.sleep(60)

    consumer = consumers.make(
        bus, {"ParcelPacked": hangs_once}, visibility_timeout_seconds=1, handler_timeout_seconds=0.5
    )
    consumers.start(consumer)

    await publish(bus, envelope())

    await wait_until(lambda: consumer.stats.acked == 1)
    assert (len(calls), consumer.stats.failed) == (2, 1)
    assert await db.effect_count() == 1


async def test_the_handler_continues_the_trace_the_envelope_carries(
    make_bus, envelope, publish, consumers, record_effect, wait_until
):
    bus = await make_bus()
    seen = []

    async def traced(event, envelope, uow):
        seen.append(current_traceparent())
        await record_effect(event, envelope, uow)

    consumer = consumers.make(bus, {"ParcelPacked": traced})
    consumers.start(consumer)

    await publish(bus, envelope(traceparent=TRACEPARENT), envelope())

    await wait_until(lambda: consumer.stats.acked == 2)
    traced_ids = [value.split("-")[1] for value in seen if value]
    assert traced_ids == [TRACE_ID]  # and the untraced event is not given this trace
    assert current_traceparent() is None  # nothing leaked into the test's context


async def test_events_written_while_handling_name_the_handled_event_as_their_cause(
    make_bus, envelope, publish, consumers, record_effect, wait_until
):
    bus = await make_bus()
    causes, handled_events = [], []

    async def replying(event, envelope, uow):
        causes.append((envelope.id, envelope_of(event, source="bazaar.worker").causation_id))
        handled_events.append(event)
        await record_effect(event, envelope, uow)

    consumer = consumers.make(bus, {"ParcelPacked": replying})
    consumers.start(consumer)

    await publish(bus, envelope(), envelope())

    await wait_until(lambda: consumer.stats.acked == 2)
    assert [handled for handled, cause in causes] == [cause for handled, cause in causes]
    # Outside a handler, an event has no cause.
    assert envelope_of(handled_events[0], source="bazaar.worker").causation_id is None
