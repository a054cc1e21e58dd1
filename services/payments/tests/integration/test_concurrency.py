"""Capture and refund of one order at once, as two consumer tasks may run them.

The lookup locks the order's payment row when there is one; when there is
none, the primary key decides: the second insert fails with ``PaymentRace``,
its transaction rolls back, and the retry answers from the first one's row.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bazaar_common.clock import utc_now
from bazaar_common.db.engine import create_engine
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.testing.waiting import wait_until
from bazaar_payments.domain.errors import PaymentRace
from bazaar_payments.domain.model import APPROVED, Payment
from bazaar_payments.entrypoints.event_handlers import charge_of
from bazaar_payments.service_layer import settlement
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork

ORDERS = 25


@pytest.fixture
async def race_uow(app, settings, card_processor):
    """Like ``new_uow``, on an engine whose pool makes callers wait, not fail."""
    engine = create_engine(
        settings.model_copy(update={"db_pool_timeout_seconds": 60.0}),
        application_name="payments-race-test",
    )
    yield lambda: PaymentsUnitOfWork(engine, card_processor=card_processor)
    await engine.dispose()


async def test_a_void_committed_while_the_capture_asks_the_processor_wins(
    new_uow, capture_of, card_processor, db
):
    command = capture_of()
    card_processor.hold()
    capturing = asyncio.create_task(settlement.capture(new_uow(), charge_of(command)))
    await asyncio.wait_for(card_processor.waiting.wait(), 5)

    await settlement.refund(new_uow(), command.order_id)  # saw no payment: voids
    card_processor.release()

    with pytest.raises(PaymentRace):
        await capturing
    retried = await settlement.capture(new_uow(), charge_of(command))  # the redelivery

    assert retried.decline_reason is not None
    assert retried.decline_reason.value == "payment-voided"
    assert len(card_processor.calls) == 1  # its answer was never stored: no money taken
    row = await db.payment(command.order_id)
    assert row is not None
    assert (row["status"], row["captured_at"]) == ("voided", None)
    assert await db.published_types(command.order_id) == ["PaymentDeclined"]


async def test_a_capture_committed_while_the_refund_inserts_its_void_is_refunded(
    new_uow, capture_of, db
):
    command = capture_of()
    capture = new_uow()
    async with capture:  # a capture that has inserted its payment and not committed yet
        payment = Payment.settle(uuid7(), charge_of(command), APPROVED, now=utc_now())
        assert await capture.payments.add(payment)  # its PaymentCaptured is written at commit
        refunding = asyncio.create_task(settlement.refund(new_uow(), command.order_id))
        await wait_until(lambda: waiting_on_a_lock(db))  # its insert waits on our key
        await capture.commit()

    with pytest.raises(PaymentRace):
        await refunding
    await settlement.refund(new_uow(), command.order_id)  # the redelivery

    row = await db.payment(command.order_id)
    assert row is not None
    assert row["status"] == "refunded"
    assert await db.published_types(command.order_id) == ["PaymentCaptured", "PaymentRefunded"]


async def test_concurrent_captures_and_refunds_of_each_order_net_to_zero(
    race_uow, deliver_with, capture_of, refund_of, card_processor, db
):
    """Each order gets its capture and its refund at once, in a random order and timing."""
    rng = random.Random(20301201)
    card_processor.latency_seconds = 0.002
    commands = [capture_of() for _ in range(ORDERS)]

    async def handled(message, delay: float) -> None:
        await asyncio.sleep(delay)
        envelope = envelope_of(message, source="bazaar.orders")
        for _ in range(5):  # SQS would redeliver until it succeeds
            try:
                await deliver_with(race_uow(), envelope)
                return
            except PaymentRace:
                continue
        raise AssertionError("no retry succeeded")

    await asyncio.gather(
        *(
            handled(message, rng.uniform(0, 0.01))
            for command in commands
            for message in (command, refund_of(command.order_id))
        )
    )

    for command in commands:
        row = await db.payment(command.order_id)
        assert row is not None
        events = [event["envelope"]["data"] for event in await db.outbox(command.order_id)]
        types = await db.published_types(command.order_id)
        if row["status"] == "refunded":
            assert types == ["PaymentCaptured", "PaymentRefunded"]
            captured, refunded = events
            assert captured["amount_minor"] == refunded["amount_minor"] == 4_200
        else:
            assert (row["status"], row["decline_reason"]) == ("voided", "payment-voided")
            assert types == ["PaymentDeclined"]
    assert await db.count("payments") == ORDERS
    assert await db.count("inbox") == 2 * ORDERS
    held = await db.rows("SELECT count(*) AS n FROM payments WHERE status = 'captured'")
    assert held == [{"n": 0}]


async def test_concurrent_duplicates_of_one_capture_capture_once(
    race_uow, deliver_with, capture_of, card_processor, db
):
    command = capture_of()
    card_processor.latency_seconds = 0.005

    results = await asyncio.gather(
        *(deliver_with(race_uow(), envelope_of(command, source="bazaar.orders")) for _ in range(8)),
        return_exceptions=True,
    )

    assert all(r is True or isinstance(r, PaymentRace) for r in results), results
    assert await db.count("payments") == 1
    assert await db.published_types(command.order_id) == ["PaymentCaptured"]
    # Each failed delivery rolled its inbox row back: it will be handled again.
    assert await db.count("inbox") == sum(r is True for r in results)


async def waiting_on_a_lock(db) -> bool:
    rows = await db.rows(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return rows[0]["n"] > 0
