"""The payments model alone: one capture per order, refunds only of captures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentRefunded
from bazaar_payments.domain.model import (
    APPROVED,
    CardDecision,
    Charge,
    DeclineReason,
    Payment,
    PaymentStatus,
)

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
T2 = T0 + timedelta(minutes=2)


def charge(**overrides) -> Charge:
    values = {
        "order_id": uuid4(),
        "customer_id": "customer-a",
        "amount_minor": 4_200,
        "currency": "EUR",
        "card_token": "tok_visa",
        **overrides,
    }
    return Charge(**values)


def captured(at=T0) -> Payment:
    payment = Payment.settle(uuid4(), charge(), APPROVED, now=at)
    payment.pull_events()
    return payment


def test_an_approved_charge_is_captured_and_says_so():
    asked = charge()
    payment_id = uuid4()

    payment = Payment.settle(payment_id, asked, APPROVED, now=T0)

    assert payment.status is PaymentStatus.CAPTURED
    assert (payment.id, payment.order_id, payment.customer_id) == (
        payment_id,
        asked.order_id,
        "customer-a",
    )
    assert (payment.amount_minor, payment.currency) == (4_200, "EUR")
    assert (payment.captured_at, payment.refunded_at, payment.decline_reason) == (T0, None, None)
    assert payment.held_minor == 4_200
    assert payment.pull_events() == [
        PaymentCaptured(
            order_id=asked.order_id, payment_id=payment_id, amount_minor=4_200, currency="EUR"
        )
    ]
    assert payment.pull_events() == []  # pulled once


@pytest.mark.parametrize("reason", [DeclineReason.CARD_DECLINED, DeclineReason.AMOUNT_OVER_LIMIT])
def test_a_declined_charge_takes_nothing_and_says_why(reason: DeclineReason):
    asked = charge()

    payment = Payment.settle(uuid4(), asked, CardDecision(reason), now=T0)

    assert payment.status is PaymentStatus.DECLINED
    assert payment.decline_reason is reason
    assert payment.captured_at is None
    assert payment.held_minor == 0
    assert payment.amount_minor == 4_200  # what was asked, kept for the record
    assert payment.pull_events() == [PaymentDeclined(order_id=asked.order_id, reason=reason.value)]


def test_a_refund_gives_the_capture_back_once():
    payment = captured()

    assert payment.refund(now=T1) is True
    assert payment.status is PaymentStatus.REFUNDED
    assert (payment.captured_at, payment.refunded_at, payment.updated_at) == (T0, T1, T1)
    assert payment.held_minor == 0
    assert payment.pull_events() == [
        PaymentRefunded(
            order_id=payment.order_id, payment_id=payment.id, amount_minor=4_200, currency="EUR"
        )
    ]

    assert payment.refund(now=T2) is False
    assert payment.refunded_at == T1
    assert payment.pull_events() == []


def test_a_declined_payment_has_nothing_to_refund():
    payment = Payment.settle(uuid4(), charge(), CardDecision(DeclineReason.CARD_DECLINED), now=T0)
    payment.pull_events()

    assert payment.refund(now=T1) is False
    assert payment.status is PaymentStatus.DECLINED
    assert payment.updated_at == T0
    assert payment.pull_events() == []


def test_a_void_knows_only_its_order_and_publishes_nothing():
    order_id = uuid4()

    payment = Payment.void(uuid4(), order_id, now=T0)

    assert payment.status is PaymentStatus.VOIDED
    assert payment.order_id == order_id
    assert (payment.customer_id, payment.amount_minor, payment.currency) == (None, None, None)
    assert payment.held_minor == 0
    assert payment.pull_events() == []
    assert payment.refund(now=T1) is False  # refunding a void again changes nothing


def test_a_void_declines_the_capture_that_comes_after_it_once():
    payment = Payment.void(uuid4(), uuid4(), now=T0)
    late = charge(order_id=payment.order_id, customer_id="customer-b", amount_minor=900)

    assert payment.answer_capture(late, now=T1) is True
    assert payment.status is PaymentStatus.VOIDED
    assert payment.decline_reason is DeclineReason.PAYMENT_VOIDED
    assert (payment.customer_id, payment.amount_minor, payment.currency) == (
        "customer-b",
        900,
        "EUR",
    )
    assert payment.captured_at is None
    assert payment.held_minor == 0
    assert payment.updated_at == T1
    assert payment.pull_events() == [
        PaymentDeclined(order_id=payment.order_id, reason="payment-voided")
    ]

    assert payment.answer_capture(late, now=T2) is False
    assert payment.updated_at == T1
    assert payment.pull_events() == []


@pytest.mark.parametrize("state", ["captured", "declined", "refunded"])
def test_a_payment_that_answered_once_never_captures_again(state):
    payment = captured()
    if state == "declined":
        payment = Payment.settle(
            uuid4(), charge(), CardDecision(DeclineReason.CARD_DECLINED), now=T0
        )
        payment.pull_events()
    elif state == "refunded":
        payment.refund(now=T1)
        payment.pull_events()
    before = (payment.status, payment.amount_minor, payment.captured_at, payment.updated_at)

    again = charge(order_id=payment.order_id, amount_minor=1)
    assert payment.answer_capture(again, now=T2) is False

    assert (payment.status, payment.amount_minor, payment.captured_at, payment.updated_at) == before
    assert payment.pull_events() == []


def test_an_order_nets_to_what_was_captured_minus_what_was_refunded():
    """Over any sequence of commands, an order holds 0 or its one capture."""
    order_id = uuid4()
    payment = Payment.settle(uuid4(), charge(order_id=order_id), APPROVED, now=T0)
    moved = payment.pull_events()
    for step, command in enumerate(["capture", "refund", "capture", "refund", "capture"]):
        now = T0 + timedelta(seconds=step + 1)
        if command == "capture":
            payment.answer_capture(charge(order_id=order_id), now=now)
        else:
            payment.refund(now=now)
        moved.extend(payment.pull_events())
    captured_minor = sum(e.amount_minor for e in moved if isinstance(e, PaymentCaptured))
    refunded_minor = sum(e.amount_minor for e in moved if isinstance(e, PaymentRefunded))
    assert [type(e) for e in moved] == [PaymentCaptured, PaymentRefunded]
    assert payment.held_minor == captured_minor - refunded_minor == 0


def test_a_change_on_a_clock_behind_the_last_one_keeps_the_payment_s_times_in_order():
    """Another task's clock may be a little behind the one that captured."""
    payment = captured(at=T1)
    payment.refund(now=T0)
    assert payment.refunded_at == payment.updated_at == T1
    assert payment.captured_at == T1

    void = Payment.void(uuid4(), uuid4(), now=T1)
    void.answer_capture(charge(order_id=void.order_id), now=T0)
    assert void.updated_at == T1
