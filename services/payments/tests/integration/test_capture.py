"""CapturePayment on a real Postgres: at most one capture per order, ever."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_payments.domain.model import CardDecision, DeclineReason


async def test_a_capture_stores_the_payment_and_publishes_it(deliver, capture_of, db):
    command = capture_of()

    envelope = await deliver(command)

    row = await db.payment(command.order_id)
    assert row is not None
    assert row["status"] == "captured"
    assert (row["customer_id"], row["amount_minor"], row["currency"]) == (
        "customer-a",
        4_200,
        "EUR",
    )
    assert row["captured_at"] is not None
    assert row["refunded_at"] is None
    assert row["decline_reason"] is None
    (published,) = await db.outbox(command.order_id)
    assert published["type"] == "PaymentCaptured"
    assert published["envelope"]["source"] == "bazaar.payments"
    assert published["envelope"]["causation_id"] == str(envelope.id)
    assert published["envelope"]["data"] == {
        "order_id": str(command.order_id),
        "payment_id": str(row["id"]),
        "amount_minor": 4_200,
        "currency": "EUR",
    }


async def test_a_duplicate_command_captures_once(deliver, capture_of, card_processor, db):
    command = capture_of()

    first = await deliver(command)
    await deliver(command)  # sent again: another envelope, another event id
    await deliver(first)  # delivered again: the inbox has it

    assert len(card_processor.calls) == 1
    assert await db.count("payments") == 1
    assert await db.published_types(command.order_id) == ["PaymentCaptured"]
    assert await db.count("inbox") == 2


async def test_a_second_capture_with_other_terms_changes_nothing(deliver, capture_of, db):
    command = capture_of()
    await deliver(command)
    before = await db.payment(command.order_id)

    await deliver(capture_of(command.order_id, amount_minor=1, card_token="tok_other"))

    assert await db.payment(command.order_id) == before
    assert await db.published_types(command.order_id) == ["PaymentCaptured"]


@pytest.mark.parametrize("reason", [DeclineReason.CARD_DECLINED, DeclineReason.AMOUNT_OVER_LIMIT])
async def test_a_declined_charge_is_stored_and_answered_once(
    deliver, capture_of, card_processor, db, reason
):
    command = capture_of()
    card_processor.decisions[command.order_id] = CardDecision(reason)

    await deliver(command)
    await deliver(capture_of(command.order_id))  # a retry of the order never gets a second try

    row = await db.payment(command.order_id)
    assert row is not None
    assert (row["status"], row["decline_reason"], row["captured_at"]) == (
        "declined",
        reason.value,
        None,
    )
    assert len(card_processor.calls) == 1
    (published,) = await db.outbox(command.order_id)
    assert published["type"] == "PaymentDeclined"
    assert published["envelope"]["data"] == {
        "order_id": str(command.order_id),
        "reason": reason.value,
    }


async def test_orders_are_independent(deliver, capture_of, card_processor, db):
    approved, declined = capture_of(), capture_of()
    card_processor.decisions[declined.order_id] = CardDecision(DeclineReason.CARD_DECLINED)

    await deliver(approved)
    await deliver(declined)

    assert (await db.payment(approved.order_id) or {})["status"] == "captured"
    assert (await db.payment(declined.order_id) or {})["status"] == "declined"
    assert await db.payment(uuid4()) is None
