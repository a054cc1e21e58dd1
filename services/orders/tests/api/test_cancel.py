"""POST /orders/{id}/cancel: pending orders cancel with their compensations, once."""

from __future__ import annotations

from uuid import UUID, uuid4

from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import StockReserved
from bazaar_contracts.payments import PaymentCaptured


def reserved(order):
    return StockReserved(
        order_id=UUID(order["id"]),
        lines=tuple(StockLine(sku=x["sku"], quantity=x["quantity"]) for x in order["lines"]),
    )


def captured(order):
    return PaymentCaptured(
        order_id=UUID(order["id"]),
        payment_id=uuid4(),
        amount_minor=order["total_minor"],
        currency=order["currency"],
    )


async def test_a_pending_order_is_cancelled_and_its_stock_released(api, alice, db):
    order = await api.placed(alice)
    response = await api.cancel(alice, order["id"])

    assert response.status_code == 200
    cancelled = response.json()
    assert (cancelled["status"], cancelled["step"], cancelled["cancel_reason"]) == (
        "CANCELLED",
        None,
        "customer-cancelled",
    )
    assert cancelled["updated_at"] > order["updated_at"]
    assert (await api.get(alice, order["id"])).json() == cancelled
    assert (await db.outbox_types(order["id"]))[2:] == ["ReleaseStock", "OrderCancelled"]


async def test_cancelling_while_paying_refunds_then_releases(api, alice, db, deliver):
    order = await api.placed(alice)
    await deliver(reserved(order))
    assert (await api.cancel(alice, order["id"])).status_code == 200
    assert (await db.outbox_types(order["id"]))[3:] == [
        "RefundPayment",
        "ReleaseStock",
        "OrderCancelled",
    ]


async def test_cancelling_twice_answers_the_same_and_sends_nothing_more(api, alice, db):
    order = await api.placed(alice)
    first = await api.cancel(alice, order["id"])
    events = await db.count("outbox")
    again = await api.cancel(alice, order["id"])
    assert again.status_code == 200
    assert again.json() == first.json()
    assert await db.count("outbox") == events
    assert len(await db.transitions(order["id"])) == 2


async def test_a_confirmed_order_cannot_be_cancelled(api, alice, db, deliver, expect_problem):
    order = await api.placed(alice)
    await deliver(reserved(order))
    await deliver(captured(order), source="bazaar.payments")
    events = await db.count("outbox")

    expect_problem(await api.cancel(alice, order["id"]), 409, "order-not-cancellable")
    assert (await api.get(alice, order["id"])).json()["status"] == "CONFIRMED"
    assert await db.count("outbox") == events


async def test_a_missing_order_cannot_be_cancelled(api, alice, expect_problem):
    expect_problem(await api.cancel(alice, str(uuid4())), 404, "order-not-found")


async def test_a_retried_cancel_replays_the_first_answer(api, alice, db):
    order = await api.placed(alice)
    first = await api.cancel(alice, order["id"], key="cancel-1")
    events = await db.count("outbox")
    again = await api.cancel(alice, order["id"], key="cancel-1")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.count("outbox") == events


async def test_a_cancel_key_reused_for_another_order_is_refused(api, alice, db, expect_problem):
    first, second = await api.placed(alice), await api.placed(alice)
    assert (await api.cancel(alice, first["id"], key="cancel-1")).status_code == 200
    refused = await api.cancel(alice, second["id"], key="cancel-1")
    expect_problem(refused, 422, "idempotency-key-reused")
    assert (await api.get(alice, second["id"])).json()["status"] == "PENDING"


async def test_a_cancel_without_a_key_is_refused(api, alice, expect_problem):
    order = await api.placed(alice)
    response = await api.client.post(f"/orders/{order['id']}/cancel", headers=alice)
    expect_problem(response, 400, "idempotency-key-missing")
    assert (await api.get(alice, order["id"])).json()["status"] == "PENDING"
