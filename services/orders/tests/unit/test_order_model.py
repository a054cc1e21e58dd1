"""The order's state machine: every transition, late or duplicate reply, and compensation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from bazaar_common.errors import InvalidInput
from bazaar_contracts import orders as contract
from bazaar_orders.domain.errors import MixedCurrencies, OrderNotCancellable, UnknownProducts
from bazaar_orders.domain.model import (
    CancelReason,
    Order,
    OrderStatus,
    Outcome,
    Price,
    RequestedLine,
    SagaStep,
    Transition,
    is_valid_history,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PRICES = {"MUG-1": Price(1_250, "EUR"), "TEA-1": Price(400, "EUR"), "USD-1": Price(900, "USD")}


def place(*lines: tuple[str, int]) -> Order:
    return Order.place(
        uuid4(),
        customer_id="customer-1",
        lines=[RequestedLine(sku, quantity) for sku, quantity in lines or (("MUG-1", 2),)],
        prices=PRICES,
        card_token="tok_visa",
        now=T0,
    )


def types(order: Order) -> list[str]:
    """The event types recorded since the last call, which forgets them."""
    recorded = [event.event_type for event in order.events]
    order.events.clear()
    return recorded


def history(order: Order) -> list[Transition]:
    return list(order.new_transitions)


def paying() -> Order:
    order = place()
    order.on_stock_reserved(now=T0 + timedelta(seconds=1))
    types(order)
    return order


def confirmed() -> Order:
    order = paying()
    order.on_payment_captured(now=T0 + timedelta(seconds=2))
    types(order)
    return order


def cancelled_while_reserving() -> Order:
    order = place()
    order.cancel(CancelReason.CUSTOMER_CANCELLED, now=T0 + timedelta(seconds=1))
    types(order)
    return order


def cancelled_while_paying() -> Order:
    order = paying()
    order.cancel(CancelReason.STEP_TIMEOUT, now=T0 + timedelta(seconds=40))
    types(order)
    return order


# --- placement ---------------------------------------------------------------


def test_placing_prices_the_lines_and_asks_for_the_stock():
    order = place(("MUG-1", 2), ("TEA-1", 3))

    assert (order.status, order.step) == (OrderStatus.PENDING, SagaStep.RESERVING_STOCK)
    assert order.step_started_at == T0
    assert order.total_minor == 2 * 1_250 + 3 * 400
    assert order.currency == "EUR"
    assert [(line.sku, line.unit_price_minor) for line in order.lines] == [
        ("MUG-1", 1_250),
        ("TEA-1", 400),
    ]
    assert (order.stock_requested, order.capture_requested) == (True, False)
    placed, reserve = order.events
    assert isinstance(placed, contract.OrderPlaced)
    assert placed.total_minor == 2_500 + 1_200
    assert [line.unit_price_minor for line in placed.lines] == [1_250, 400]
    assert isinstance(reserve, contract.ReserveStock)
    assert [(line.sku, line.quantity) for line in reserve.lines] == [("MUG-1", 2), ("TEA-1", 3)]
    (transition,) = order.new_transitions
    assert (transition.seq, transition.from_status, transition.to_status) == (
        1,
        None,
        OrderStatus.PENDING,
    )
    assert transition.reason == "order-placed"


def test_lines_in_two_currencies_are_refused():
    with pytest.raises(MixedCurrencies) as refused:
        place(("MUG-1", 1), ("USD-1", 1))
    assert refused.value.extensions["currencies"] == ["EUR", "USD"]


def test_a_sku_without_a_price_is_unknown():
    with pytest.raises(UnknownProducts) as refused:
        place(("MUG-1", 1), ("NOPE-1", 1))
    assert refused.value.extensions["skus"] == ["NOPE-1"]


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [("MUG-1", 0)],
        [("MUG-1", -1)],
        [("MUG-1", 1_001)],
        [("MUG-1", 1), ("MUG-1", 2)],
        [(f"SKU-{n}", 1) for n in range(21)],
    ],
    ids=["no-lines", "zero", "negative", "too-many-units", "duplicate-sku", "21-lines"],
)
def test_bad_lines_are_refused(lines):
    prices = {sku: Price(1, "EUR") for sku, _ in lines}
    with pytest.raises(InvalidInput):
        Order.place(
            uuid4(),
            customer_id="c",
            lines=[RequestedLine(sku, quantity) for sku, quantity in lines],
            prices=prices,
            card_token="tok_visa",
            now=T0,
        )


def test_twenty_lines_of_a_thousand_units_are_fine():
    prices = {f"SKU-{n}": Price(10_000_000_000, "EUR") for n in range(20)}
    order = Order.place(
        uuid4(),
        customer_id="c",
        lines=[RequestedLine(sku, 1_000) for sku in prices],
        prices=prices,
        card_token="tok_visa",
        now=T0,
    )
    assert order.total_minor == 20 * 1_000 * 10_000_000_000


# --- the happy path ----------------------------------------------------------


def test_stock_reserved_moves_to_capturing_payment_and_asks_for_the_money():
    order = place(("MUG-1", 2))
    types(order)
    cause = uuid4()
    assert order.on_stock_reserved(now=T0 + timedelta(seconds=1), cause_event_id=cause) is (
        Outcome.APPLIED
    )
    assert (order.status, order.step) == (OrderStatus.PENDING, SagaStep.CAPTURING_PAYMENT)
    assert order.step_started_at == T0 + timedelta(seconds=1)
    assert order.capture_requested
    (capture,) = order.events
    assert capture == contract.CapturePayment(
        order_id=order.id,
        customer_id="customer-1",
        amount_minor=2_500,
        currency="EUR",
        card_token="tok_visa",
    )
    assert order.new_transitions[-1].cause_event_id == cause


def test_payment_captured_confirms_and_commits_the_stock():
    order = paying()
    assert order.on_payment_captured(now=T0 + timedelta(seconds=2)) is Outcome.APPLIED
    assert (order.status, order.step, order.step_started_at) == (OrderStatus.CONFIRMED, None, None)
    assert types(order) == ["CommitStock", "OrderConfirmed"]
    assert is_valid_history(history(order))
    assert [t.reason for t in history(order)] == [
        "order-placed",
        "stock-reserved",
        "payment-captured",
    ]


# --- unhappy paths and their compensations -----------------------------------


def test_stock_rejected_cancels_out_of_stock_and_releases_nothing():
    order = place()
    types(order)
    assert order.on_stock_rejected(now=T0) is Outcome.APPLIED
    assert (order.status, order.step, order.cancel_reason) == (
        OrderStatus.CANCELLED,
        None,
        CancelReason.OUT_OF_STOCK,
    )
    assert types(order) == ["OrderCancelled"]


def test_payment_declined_cancels_and_releases_the_stock():
    order = paying()
    assert order.on_payment_declined(now=T0) is Outcome.APPLIED
    assert order.cancel_reason is CancelReason.PAYMENT_DECLINED
    assert types(order) == ["ReleaseStock", "OrderCancelled"]


def test_a_cancel_while_reserving_releases_the_stock():
    order = place()
    types(order)
    assert order.cancel(CancelReason.CUSTOMER_CANCELLED, now=T0) is Outcome.APPLIED
    assert types(order) == ["ReleaseStock", "OrderCancelled"]
    assert order.cancel_reason is CancelReason.CUSTOMER_CANCELLED


def test_a_cancel_while_paying_refunds_then_releases():
    order = paying()
    assert order.cancel(CancelReason.STEP_TIMEOUT, now=T0) is Outcome.APPLIED
    assert types(order) == ["RefundPayment", "ReleaseStock", "OrderCancelled"]


def test_the_cancel_event_names_the_customer_and_the_reason():
    order = paying()
    order.cancel(CancelReason.STEP_TIMEOUT, now=T0)
    event = order.events[-1]
    assert event == contract.OrderCancelled(
        order_id=order.id, customer_id="customer-1", reason="step-timeout"
    )


def test_cancelling_a_cancelled_order_changes_nothing():
    order = cancelled_while_paying()
    version = order.version
    assert order.cancel(CancelReason.CUSTOMER_CANCELLED, now=T0) is Outcome.IGNORED
    assert order.events == []
    assert order.version == version
    assert order.cancel_reason is CancelReason.STEP_TIMEOUT


def test_a_confirmed_order_cannot_be_cancelled():
    order = confirmed()
    with pytest.raises(OrderNotCancellable):
        order.cancel(CancelReason.CUSTOMER_CANCELLED, now=T0)
    assert order.status is OrderStatus.CONFIRMED
    assert order.events == []


# --- late, duplicate and out-of-order replies --------------------------------


def test_a_late_stock_reserved_on_a_cancelled_order_releases_again():
    for order in (cancelled_while_reserving(), cancelled_while_paying()):
        version = order.version
        assert order.on_stock_reserved(now=T0) is Outcome.COMPENSATED
        assert types(order) == ["ReleaseStock"]
        assert (order.status, order.version) == (OrderStatus.CANCELLED, version)


def test_a_late_payment_captured_on_a_cancelled_order_refunds_again():
    for order in (cancelled_while_paying(), cancelled_while_reserving()):
        version = order.version
        assert order.on_payment_captured(now=T0) is Outcome.COMPENSATED
        assert types(order) == ["RefundPayment"]
        assert (order.status, order.version) == (OrderStatus.CANCELLED, version)


REPLIES = {
    "StockReserved": Order.on_stock_reserved,
    "StockRejected": Order.on_stock_rejected,
    "PaymentCaptured": Order.on_payment_captured,
    "PaymentDeclined": Order.on_payment_declined,
}
ORDERS_IN = {
    "reserving": place,
    "paying": paying,
    "confirmed": confirmed,
    "cancelled-reserving": cancelled_while_reserving,
    "cancelled-paying": cancelled_while_paying,
}
# The whole table: what each reply does in each state (ADR 0007).
EXPECTED = {
    ("reserving", "StockReserved"): (Outcome.APPLIED, ["CapturePayment"]),
    ("reserving", "StockRejected"): (Outcome.APPLIED, ["OrderCancelled"]),
    ("reserving", "PaymentCaptured"): (Outcome.IGNORED, []),
    ("reserving", "PaymentDeclined"): (Outcome.IGNORED, []),
    ("paying", "StockReserved"): (Outcome.IGNORED, []),
    ("paying", "StockRejected"): (Outcome.IGNORED, []),
    ("paying", "PaymentCaptured"): (Outcome.APPLIED, ["CommitStock", "OrderConfirmed"]),
    ("paying", "PaymentDeclined"): (Outcome.APPLIED, ["ReleaseStock", "OrderCancelled"]),
    ("confirmed", "StockReserved"): (Outcome.IGNORED, []),
    ("confirmed", "StockRejected"): (Outcome.IGNORED, []),
    ("confirmed", "PaymentCaptured"): (Outcome.IGNORED, []),
    ("confirmed", "PaymentDeclined"): (Outcome.IGNORED, []),
    ("cancelled-reserving", "StockReserved"): (Outcome.COMPENSATED, ["ReleaseStock"]),
    ("cancelled-reserving", "StockRejected"): (Outcome.IGNORED, []),
    ("cancelled-reserving", "PaymentCaptured"): (Outcome.COMPENSATED, ["RefundPayment"]),
    ("cancelled-reserving", "PaymentDeclined"): (Outcome.IGNORED, []),
    ("cancelled-paying", "StockReserved"): (Outcome.COMPENSATED, ["ReleaseStock"]),
    ("cancelled-paying", "StockRejected"): (Outcome.IGNORED, []),
    ("cancelled-paying", "PaymentCaptured"): (Outcome.COMPENSATED, ["RefundPayment"]),
    ("cancelled-paying", "PaymentDeclined"): (Outcome.IGNORED, []),
}


@pytest.mark.parametrize(("state", "reply"), sorted(EXPECTED), ids="-".join)
def test_every_reply_in_every_state(state, reply):
    order = ORDERS_IN[state]()
    types(order)
    before = (order.status, order.step, order.cancel_reason, order.version)
    expected_outcome, expected_events = EXPECTED[(state, reply)]

    outcome = REPLIES[reply](order, now=T0 + timedelta(minutes=5), cause_event_id=uuid4())

    assert outcome is expected_outcome
    assert types(order) == expected_events
    if outcome is Outcome.APPLIED:
        assert order.version == before[3] + 1
    else:
        assert (order.status, order.step, order.cancel_reason, order.version) == before
    assert is_valid_history(history(order))


def test_a_duplicate_reply_has_one_effect():
    order = place()
    types(order)
    assert order.on_stock_reserved(now=T0) is Outcome.APPLIED
    assert order.on_stock_reserved(now=T0) is Outcome.IGNORED
    assert types(order) == ["CapturePayment"]
    assert order.on_payment_captured(now=T0) is Outcome.APPLIED
    assert order.on_payment_captured(now=T0) is Outcome.IGNORED
    assert types(order) == ["CommitStock", "OrderConfirmed"]


def test_terminal_states_take_no_transition():
    for order in (confirmed(), cancelled_while_paying()):
        version = order.version
        for reply in REPLIES.values():
            reply(order, now=T0)
        if order.status is OrderStatus.CANCELLED:
            order.cancel(CancelReason.STEP_TIMEOUT, now=T0)
        assert order.version == version


# --- timeouts, visibility, history -------------------------------------------


def test_an_order_is_overdue_only_past_its_step_timeout_and_while_pending():
    order = place()
    timeout = timedelta(seconds=30)
    assert not order.is_overdue(now=T0 + timeout, step_timeout=timeout)
    assert order.is_overdue(now=T0 + timeout + timedelta(microseconds=1), step_timeout=timeout)
    order.on_stock_reserved(now=T0 + timedelta(seconds=29))
    assert not order.is_overdue(now=T0 + timedelta(seconds=45), step_timeout=timeout)
    assert not confirmed().is_overdue(now=T0 + timedelta(days=1), step_timeout=timeout)


def test_an_order_is_visible_to_its_customer_and_admins_only():
    order = place()
    assert order.visible_to("customer-1", is_admin=False)
    assert not order.visible_to("customer-2", is_admin=False)
    assert order.visible_to("customer-2", is_admin=True)


def test_history_check_refuses_backward_or_skipped_moves():
    order = confirmed()
    good = history(order)
    assert is_valid_history(good)
    assert not is_valid_history(good[1:])  # does not start at placement
    assert not is_valid_history([good[0], good[2]])  # skips a step
    backwards = Transition(
        seq=4,
        from_status=OrderStatus.CONFIRMED,
        from_step=None,
        to_status=OrderStatus.PENDING,
        to_step=SagaStep.CAPTURING_PAYMENT,
        reason="bug",
        cause_event_id=None,
        at=T0,
    )
    assert not is_valid_history([*good, backwards])
