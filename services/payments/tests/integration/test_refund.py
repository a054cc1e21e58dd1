"""RefundPayment on a real Postgres: only a capture is refunded; before one, it voids."""

from __future__ import annotations

from bazaar_payments.domain.model import CardDecision, DeclineReason


async def test_a_capture_is_refunded_once(deliver, capture_of, refund_of, db):
    command = capture_of()
    await deliver(command)

    envelope = await deliver(refund_of(command.order_id))
    await deliver(refund_of(command.order_id))  # the compensation sent again

    row = await db.payment(command.order_id)
    assert row is not None
    assert row["status"] == "refunded"
    assert row["refunded_at"] >= row["captured_at"]
    captured, refunded = await db.outbox(command.order_id)
    assert (captured["type"], refunded["type"]) == ("PaymentCaptured", "PaymentRefunded")
    assert refunded["envelope"]["causation_id"] == str(envelope.id)
    assert refunded["envelope"]["data"] == {
        "order_id": str(command.order_id),
        "payment_id": str(row["id"]),
        "amount_minor": 4_200,
        "currency": "EUR",
    }


async def test_a_refund_before_the_capture_voids_and_the_capture_is_declined(
    deliver, capture_of, refund_of, card_processor, db
):
    command = capture_of()

    await deliver(refund_of(command.order_id))
    voided = await db.payment(command.order_id)
    await deliver(command)  # still in the queue when the order was cancelled
    await deliver(capture_of(command.order_id))  # and once more: no second answer

    assert voided is not None
    assert voided["status"] == "voided"
    assert (voided["amount_minor"], voided["customer_id"]) == (None, None)
    row = await db.payment(command.order_id)
    assert row is not None
    assert (row["status"], row["decline_reason"], row["captured_at"]) == (
        "voided",
        "payment-voided",
        None,
    )
    assert (row["amount_minor"], row["customer_id"]) == (4_200, "customer-a")
    assert row["id"] == voided["id"]
    assert card_processor.calls == []  # the processor was never asked for the money
    (published,) = await db.outbox(command.order_id)
    assert published["type"] == "PaymentDeclined"
    assert published["envelope"]["data"]["reason"] == "payment-voided"


async def test_refunds_of_a_void_or_a_decline_change_nothing(
    deliver, capture_of, refund_of, card_processor, db
):
    declined = capture_of()
    card_processor.decisions[declined.order_id] = CardDecision(DeclineReason.CARD_DECLINED)
    await deliver(declined)
    voided = capture_of()
    await deliver(refund_of(voided.order_id))
    before = [await db.payment(declined.order_id), await db.payment(voided.order_id)]

    await deliver(refund_of(declined.order_id))
    await deliver(refund_of(voided.order_id))

    assert [await db.payment(declined.order_id), await db.payment(voided.order_id)] == before
    assert await db.published_types(declined.order_id) == ["PaymentDeclined"]
    assert await db.published_types(voided.order_id) == []


async def test_a_refund_after_a_refund_and_a_late_capture_moves_no_money(
    deliver, capture_of, refund_of, db
):
    command = capture_of()
    await deliver(command)
    await deliver(refund_of(command.order_id))

    await deliver(capture_of(command.order_id))  # a stray capture after the refund

    row = await db.payment(command.order_id)
    assert row is not None
    assert row["status"] == "refunded"
    assert await db.published_types(command.order_id) == ["PaymentCaptured", "PaymentRefunded"]
