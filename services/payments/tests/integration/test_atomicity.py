"""A payment and its event commit together, with the command's inbox row, or not at all."""

from __future__ import annotations

import pytest

from bazaar_common.messaging.outbox import envelope_of
from bazaar_payments.adapters.simulated_processor import ProcessorRules, SimulatedCardProcessor
from bazaar_payments.entrypoints.event_handlers import charge_of
from bazaar_payments.service_layer import settlement
from bazaar_payments.service_layer.card_processor import ProcessorUnavailable
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork


class Boom(Exception):
    pass


async def nothing_written(db) -> bool:
    return [await db.count(table) for table in ("payments", "outbox", "inbox")] == [0, 0, 0]


async def test_a_transient_processor_failure_writes_nothing_and_the_retry_captures(
    deliver, capture_of, card_processor, db
):
    command = capture_of()
    envelope = envelope_of(command, source="bazaar.orders")
    card_processor.failures = 1

    with pytest.raises(ProcessorUnavailable):
        await deliver(envelope)
    assert await nothing_written(db)

    await deliver(envelope)  # the same message, back after its visibility timeout

    assert (await db.payment(command.order_id) or {})["status"] == "captured"
    assert await db.published_types(command.order_id) == ["PaymentCaptured"]
    assert await db.count("inbox") == 1


async def test_the_simulated_processor_failing_writes_nothing(app, capture_of, db):
    """The real adapter at a failure rate of one."""
    failing = SimulatedCardProcessor(ProcessorRules(transient_failure_rate=1.0))
    uow = PaymentsUnitOfWork(app.state.engine, card_processor=failing)

    with pytest.raises(ProcessorUnavailable):
        await settlement.capture(uow, charge_of(capture_of()))

    assert await nothing_written(db)


async def test_a_capture_rolled_back_by_its_caller_leaves_no_payment_and_no_event(
    new_uow, capture_of, db
):
    uow = new_uow()
    with pytest.raises(Boom):
        async with uow:  # the consumer's transaction, around the handler
            await settlement.capture(uow, charge_of(capture_of()))
            raise Boom  # e.g. the commit failed
    assert await nothing_written(db)


async def test_a_refund_rolled_back_leaves_the_capture_as_it_was(new_uow, capture_of, db):
    command = capture_of()
    await settlement.capture(new_uow(), charge_of(command))
    before = await db.payment(command.order_id)

    uow = new_uow()
    with pytest.raises(Boom):
        async with uow:
            await settlement.refund(uow, command.order_id)
            raise Boom

    assert await db.payment(command.order_id) == before
    assert await db.published_types(command.order_id) == ["PaymentCaptured"]
