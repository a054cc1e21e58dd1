"""The merge rules: any order of an order's events, each any number of times, gives one row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce
from itertools import permutations
from uuid import UUID

import pytest

from bazaar_history.domain.facts import fact_of
from bazaar_history.domain.model import Line, OrderHistory, OrderState, PaymentState

ORDER_ID = UUID("0b6e4f2a-3d71-4c85-a9e2-5f1b7c3d8e90")
T0 = datetime(2030, 1, 1, 12, 0, 0, 123_456, tzinfo=UTC)
FLOWS = ["confirmed", "declined", "out_of_stock", "refunded", "voided"]


def facts_of(story) -> list[OrderHistory]:
    return [fact_of(event, at) for event, at in story]


def fold(facts) -> OrderHistory:
    return reduce(OrderHistory.merge, facts[1:], facts[0])


def every_arrival(facts: list[OrderHistory]) -> set[tuple[OrderHistory, ...]]:
    """Each distinct order the facts can arrive in (copies of one fact are alike)."""
    return set(permutations(facts))


@pytest.mark.parametrize("copies", [1, 2], ids=["once", "each-twice"])
@pytest.mark.parametrize("flow", FLOWS)
def test_every_arrival_order_gives_the_row_of_the_order_they_happened_in(stories, flow, copies):
    facts = facts_of(getattr(stories, flow)(ORDER_ID, "customer-1", T0))
    happened = fold(facts)

    arrivals = every_arrival(facts * copies)

    assert len(arrivals) > 1
    assert {fold(list(arrival)) for arrival in arrivals} == {happened}


def test_a_confirmed_order_s_row_holds_every_event_s_facts(stories):
    row = fold(facts_of(stories.confirmed(ORDER_ID, "customer-1", T0)))

    assert row == OrderHistory(
        order_id=ORDER_ID,
        first_event_at=T0,
        state=OrderState.CONFIRMED,
        customer_id="customer-1",
        lines=(Line("MUG-1", 2, 500), Line("TEAPOT-2", 1, 2_500)),
        total_minor=3_500,
        currency="EUR",
        placed_at=T0,
        confirmed_at=T0 + timedelta(seconds=2),
        payment_state=PaymentState.CAPTURED,
        payment_id=stories.payment_id(ORDER_ID),
        payment_amount_minor=3_500,
        shipment_id=stories.shipment_id(ORDER_ID),
        shipment_created_at=T0 + timedelta(seconds=3),
    )


def test_a_capture_refunded_after_the_cancel_reads_refunded(stories):
    row = fold(facts_of(stories.refunded(ORDER_ID, "customer-1", T0)))

    assert (row.state, row.cancel_reason, row.cancelled_at) == (
        OrderState.CANCELLED,
        "step-timeout",
        T0 + timedelta(seconds=1),
    )
    assert (row.payment_state, row.payment_id, row.payment_amount_minor) == (
        PaymentState.REFUNDED,
        stories.payment_id(ORDER_ID),
        3_500,
    )
    assert (row.confirmed_at, row.shipment_id) == (None, None)


@pytest.mark.parametrize(
    ("flow", "reason", "decline"),
    [
        ("declined", "payment-declined", "card-declined"),
        ("out_of_stock", "out-of-stock", None),
        ("voided", "customer-cancelled", "payment-voided"),
    ],
)
def test_a_cancelled_order_keeps_its_reason_and_its_payment_s(stories, flow, reason, decline):
    row = fold(facts_of(getattr(stories, flow)(ORDER_ID, "customer-1", T0)))

    assert (row.state, row.cancel_reason, row.payment_decline_reason) == (
        OrderState.CANCELLED,
        reason,
        decline,
    )
    assert row.payment_state == (None if decline is None else PaymentState.DECLINED)
    assert row.placed_at == row.first_event_at == T0


def test_a_row_made_by_a_late_step_fills_in_when_the_placement_comes(stories):
    story = stories.confirmed(ORDER_ID, "customer-1", T0)
    (placed, *later) = facts_of(story)

    before = fold(later)
    after = before.merge(placed)

    assert (before.lines, before.placed_at, before.state) == (None, None, OrderState.CONFIRMED)
    assert before.first_event_at == T0 + timedelta(seconds=1)
    assert (after.lines, after.placed_at, after.first_event_at) == (placed.lines, T0, T0)
    assert after.state is OrderState.CONFIRMED


def test_an_event_sent_again_later_moves_no_time(stories):
    """A publisher may send an event again under a new envelope: its earliest time stays."""
    placed, at = stories.confirmed(ORDER_ID, "customer-1", T0)[0]
    first, again = fact_of(placed, at), fact_of(placed, at + timedelta(minutes=5))

    assert first.merge(again) == again.merge(first) == first


def test_each_payment_state_wins_over_the_one_before_it():
    declined, captured, refunded = (
        OrderHistory(ORDER_ID, T0, payment_state=state)
        for state in (PaymentState.DECLINED, PaymentState.CAPTURED, PaymentState.REFUNDED)
    )

    assert declined.merge(captured).payment_state is PaymentState.CAPTURED
    assert refunded.merge(captured).payment_state is PaymentState.REFUNDED


def test_a_terminal_state_wins_over_pending_and_cancelled_over_confirmed():
    pending, confirmed, cancelled = (OrderHistory(ORDER_ID, T0, state=s) for s in OrderState)

    assert confirmed.merge(pending).state is OrderState.CONFIRMED
    assert pending.merge(cancelled).state is OrderState.CANCELLED
    assert confirmed.merge(cancelled).state is cancelled.merge(confirmed).state
    assert cancelled.merge(confirmed).state is OrderState.CANCELLED


def test_disagreeing_copies_still_merge_the_same_either_way():
    """Never sent by this system, but the row must not depend on which came first."""
    one = OrderHistory(ORDER_ID, T0, customer_id="customer-1", total_minor=10)
    other = OrderHistory(ORDER_ID, T0, customer_id="customer-2", total_minor=9)

    assert one.merge(other) == other.merge(one)
    assert (one.merge(other).customer_id, one.merge(other).total_minor) == ("customer-1", 9)


def test_facts_of_two_orders_never_merge():
    with pytest.raises(ValueError, match="cannot merge"):
        OrderHistory(ORDER_ID, T0).merge(OrderHistory(UUID(int=1), T0))


def test_only_its_customer_and_admins_see_a_row_and_admins_only_before_a_customer_is_known():
    known = OrderHistory(ORDER_ID, T0, customer_id="customer-1")
    unknown = OrderHistory(ORDER_ID, T0)

    assert known.visible_to("customer-1")
    assert known.visible_to(None)
    assert not known.visible_to("customer-2")
    assert unknown.visible_to(None)
    assert not unknown.visible_to("customer-1")
