"""The saga's replies, delivered as the consumer delivers them: inbox row, handler, commit.

Each test checks the order's state, its transitions (a valid path, with the
reply as their cause) and the commands in the outbox (with the reply as
their causation).
"""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import Shortage, StockRejected, StockReserved
from bazaar_contracts.orders import CapturePayment
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined
from bazaar_orders.domain.model import is_valid_history
from bazaar_orders.service_layer import orders
from bazaar_orders.service_layer.orders import Viewer
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork

ALICE = Viewer("alice", is_admin=False)


@pytest.fixture
def saga_ends() -> list[tuple[str, float]]:
    """What the units of work of this module recorded as ended sagas."""
    return []


@pytest.fixture
def new_uow(app, saga_ends):
    def record(outcome: str, seconds: float) -> None:
        saga_ends.append((outcome, seconds))

    return lambda: OrdersUnitOfWork(app.state.engine, record_saga_end=record)


def reserved(order):
    return StockReserved(
        order_id=order.id,
        lines=tuple(StockLine(sku=line.sku, quantity=line.quantity) for line in order.lines),
    )


def rejected(order):
    return StockRejected(
        order_id=order.id,
        reason="insufficient-stock",
        shortages=(Shortage(sku=order.lines[0].sku, requested=2, available=0),),
    )


def captured(order):
    return PaymentCaptured(
        order_id=order.id, payment_id=uuid4(), amount_minor=order.total_minor, currency="EUR"
    )


def declined(order):
    return PaymentDeclined(order_id=order.id, reason="card-declined")


async def state(new_uow, order):
    async with new_uow() as uow:
        found = await uow.orders.get(order.id)
        transitions = await uow.orders.transitions_of(order.id)
    assert is_valid_history(transitions)
    return found, transitions


async def test_the_happy_path_confirms_with_each_command_once(placed_order, deliver, db, new_uow):
    order = await placed_order()
    assert await db.outbox_types(order.id) == ["OrderPlaced", "ReserveStock"]

    stock = await deliver(reserved(order))
    after_stock, _ = await state(new_uow, order)
    assert (after_stock.status.value, after_stock.step.value) == ("PENDING", "capturing-payment")
    capture = (await db.outbox(order.id))[-1]
    assert capture["type"] == "CapturePayment"
    assert capture["causation_id"] == str(stock.id)
    assert CapturePayment.model_validate(capture["data"]) == CapturePayment(
        order_id=order.id,
        customer_id="alice",
        amount_minor=2_500,
        currency="EUR",
        card_token="tok_visa",
    )

    payment = await deliver(captured(order), source="bazaar.payments")
    final, transitions = await state(new_uow, order)
    assert (final.status.value, final.step, final.step_started_at) == ("CONFIRMED", None, None)
    envelopes = await db.outbox(order.id)
    assert [e["type"] for e in envelopes] == [
        "OrderPlaced",
        "ReserveStock",
        "CapturePayment",
        "CommitStock",
        "OrderConfirmed",
    ]
    assert {e["causation_id"] for e in envelopes[3:]} == {str(payment.id)}
    assert {e["source"] for e in envelopes} == {"bazaar.orders"}
    assert [(t.reason, t.cause_event_id) for t in transitions] == [
        ("order-placed", None),
        ("stock-reserved", stock.id),
        ("payment-captured", payment.id),
    ]


async def test_stock_rejected_cancels_out_of_stock(placed_order, deliver, db, new_uow):
    order = await placed_order()
    await deliver(rejected(order))
    final, transitions = await state(new_uow, order)
    assert (final.status.value, final.cancel_reason.value) == ("CANCELLED", "out-of-stock")
    assert (await db.outbox_types(order.id))[2:] == ["OrderCancelled"]
    assert transitions[-1].reason == "out-of-stock"


async def test_payment_declined_cancels_and_releases_the_stock(placed_order, deliver, db, new_uow):
    order = await placed_order()
    await deliver(reserved(order))
    await deliver(declined(order), source="bazaar.payments")
    final, _ = await state(new_uow, order)
    assert (final.status.value, final.cancel_reason.value) == ("CANCELLED", "payment-declined")
    assert (await db.outbox_types(order.id))[3:] == ["ReleaseStock", "OrderCancelled"]


async def test_a_late_stock_reserved_after_a_cancel_releases_again(
    placed_order, deliver, db, new_uow
):
    order = await placed_order()
    await orders.cancel_order(new_uow(), order.id, ALICE)
    assert (await db.outbox_types(order.id))[2:] == ["ReleaseStock", "OrderCancelled"]

    late = await deliver(reserved(order))

    final, transitions = await state(new_uow, order)
    assert final.status.value == "CANCELLED"
    assert len(transitions) == 2  # a compensation is no transition
    envelopes = await db.outbox(order.id)
    assert [e["type"] for e in envelopes[4:]] == ["ReleaseStock"]
    assert envelopes[-1]["causation_id"] == str(late.id)
    assert "CapturePayment" not in [e["type"] for e in envelopes]


async def test_a_late_payment_captured_after_a_timeout_refunds_again(
    placed_order, deliver, db, new_uow
):
    order = await placed_order()
    await deliver(reserved(order))
    await orders.cancel_order(new_uow(), order.id, ALICE)
    assert (await db.outbox_types(order.id))[3:] == [
        "RefundPayment",
        "ReleaseStock",
        "OrderCancelled",
    ]

    await deliver(captured(order), source="bazaar.payments")

    final, _ = await state(new_uow, order)
    assert final.status.value == "CANCELLED"
    assert (await db.outbox_types(order.id))[6:] == ["RefundPayment"]


async def test_a_redelivered_reply_has_one_effect(placed_order, deliver, db):
    order = await placed_order()
    first = await deliver(reserved(order))
    await deliver(reserved(order), envelope=first)  # the same message again
    await deliver(reserved(order), envelope=first)
    assert await db.outbox_types(order.id) == ["OrderPlaced", "ReserveStock", "CapturePayment"]
    assert await db.count("inbox") == 1


async def test_replies_out_of_place_are_ignored(placed_order, deliver, db, new_uow):
    order = await placed_order()
    # Out of order: payment replies before the stock was reserved.
    await deliver(captured(order), source="bazaar.payments")
    await deliver(declined(order), source="bazaar.payments")
    assert await db.outbox_types(order.id) == ["OrderPlaced", "ReserveStock"]

    await deliver(reserved(order))
    # A second, different StockReserved, then a rejection after the reservation.
    await deliver(reserved(order))
    await deliver(rejected(order))
    found, transitions = await state(new_uow, order)
    assert (found.status.value, found.step.value) == ("PENDING", "capturing-payment")
    assert len(transitions) == 2

    await deliver(captured(order), source="bazaar.payments")
    # Everything after confirmation is ignored, a second capture included.
    for late in (reserved(order), rejected(order)):
        await deliver(late)
    await deliver(declined(order), source="bazaar.payments")
    await deliver(captured(order), source="bazaar.payments")
    found, transitions = await state(new_uow, order)
    assert found.status.value == "CONFIRMED"
    assert len(transitions) == 3
    assert await db.outbox_types(order.id) == [
        "OrderPlaced",
        "ReserveStock",
        "CapturePayment",
        "CommitStock",
        "OrderConfirmed",
    ]
    assert await db.count("inbox") == 10  # each reply recorded, even when ignored


async def test_a_decline_after_a_cancel_is_ignored(placed_order, deliver, db, new_uow):
    order = await placed_order()
    await deliver(reserved(order))
    await orders.cancel_order(new_uow(), order.id, ALICE)
    before = await db.outbox_types(order.id)
    await deliver(declined(order), source="bazaar.payments")
    await deliver(rejected(order))
    assert await db.outbox_types(order.id) == before
    found, _ = await state(new_uow, order)
    assert found.cancel_reason.value == "customer-cancelled"


async def test_a_reply_for_an_unknown_order_is_recorded_and_ignored(deliver, db):
    stranger = StockReserved(order_id=uuid4(), lines=(StockLine(sku="MUG-1", quantity=1),))
    await deliver(stranger)
    await deliver(
        PaymentCaptured(order_id=uuid4(), payment_id=uuid4(), amount_minor=1, currency="EUR")
    )
    assert await db.count("inbox") == 2
    assert await db.count("outbox") == 0
    assert await db.count("orders") == 0


async def test_a_saga_that_ends_is_counted_once_with_its_outcome(placed_order, deliver, saga_ends):
    confirmed, declined_order = await placed_order(), await placed_order()
    await deliver(reserved(confirmed))
    assert saga_ends == []  # still going
    payment = await deliver(captured(confirmed), source="bazaar.payments")
    await deliver(captured(confirmed), source="bazaar.payments", envelope=payment)  # again
    await deliver(reserved(declined_order))
    await deliver(declined(declined_order), source="bazaar.payments")

    assert [outcome for outcome, _ in saga_ends] == ["confirmed", "payment-declined"]
    assert all(0 <= seconds < 60 for _, seconds in saga_ends)
