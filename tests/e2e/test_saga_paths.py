"""The order saga end to end: every path an order can take, over real processes.

Each test places orders over HTTP as a customer with a real token, waits for
the saga to settle, and checks what each service says; the fixture then
drains the queues and checks the invariants across every database.
"""

from __future__ import annotations

import asyncio

from bazaar_devstack.invariants import drain

HAPPY_STORY = {"OrderPlaced", "ReserveStock", "StockReserved", "CapturePayment"} | {
    "PaymentCaptured",
    "CommitStock",
    "StockCommitted",
    "OrderConfirmed",
    "ShipmentCreated",
}
# Each event was caused by (written while handling) the one before it.
CAUSED = [
    ("ReserveStock", "StockReserved"),
    ("OrderPlaced", "StockReserved"),
    ("StockReserved", "CapturePayment"),
    ("CapturePayment", "PaymentCaptured"),
    ("PaymentCaptured", "CommitStock"),
    ("PaymentCaptured", "OrderConfirmed"),
    ("CommitStock", "StockCommitted"),
    ("OrderConfirmed", "ShipmentCreated"),  # choreographed: shipping reacts on its own
]


def happened_before(types: list[str], first: str, then: str) -> bool:
    return types.index(first) < types.index(then)


async def test_an_order_is_confirmed_its_stock_sold_and_its_story_told(shop):
    sku = await shop.add_product(units=5, price=1_250)
    alice = await shop.customer("alice-happy")

    placed = await shop.place(alice, {sku: 2})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "PENDING"
    assert order["total_minor"] == 2_500

    settled = await shop.settled(alice, order["id"])
    assert settled["status"] == "CONFIRMED", settled
    assert settled["cancel_reason"] is None
    await drain(shop.stack)  # the stock is committed after the confirmation
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (3, 0, 2)
    payments = await shop.payments_of(alice, order["id"])
    assert [(p["status"], p["amount_minor"]) for p in payments] == [("captured", 2_500)]
    shipment = await shop.shipment_of(alice, order["id"])
    assert shipment.status_code == 200, shipment.text
    assert shipment.json()["customer_id"] == order["customer_id"]
    others = await shop.shipment_of(await shop.customer("bob-nosy"), order["id"])
    assert others.status_code == 404, others.text

    timeline = await shop.timeline(order["id"])
    types = [event["type"] for event in timeline]
    assert sorted(types) == sorted(HAPPY_STORY)
    for cause, effect in CAUSED:
        assert happened_before(types, cause, effect), types
    assert {event["source"] for event in timeline} == {
        "bazaar.orders",
        "bazaar.inventory",
        "bazaar.payments",
        "bazaar.shipping",
    }


async def test_an_order_for_more_than_the_stock_is_cancelled_and_nothing_moves(shop):
    sku = await shop.add_product(units=1)
    bob = await shop.customer("bob-short")

    order = (await shop.place(bob, {sku: 2})).json()

    settled = await shop.settled(bob, order["id"])
    assert (settled["status"], settled["cancel_reason"]) == ("CANCELLED", "out-of-stock")
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (1, 0, 0)
    assert await shop.payments_of(bob, order["id"]) == []


async def test_a_declined_card_cancels_the_order_and_gives_the_stock_back(shop):
    sku = await shop.add_product(units=3)
    carol = await shop.customer("carol-declined")

    order = (await shop.place(carol, {sku: 3}, card_token="tok_decline")).json()

    settled = await shop.settled(carol, order["id"])
    assert (settled["status"], settled["cancel_reason"]) == ("CANCELLED", "payment-declined")
    await drain(shop.stack)
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (3, 0, 0)
    payments = await shop.payments_of(carol, order["id"])
    assert [p["status"] for p in payments] == ["declined"]


async def test_a_customer_cancel_while_payment_waits_refunds_or_voids_and_restores_stock(shop):
    sku = await shop.add_product(units=2)
    dave = await shop.customer("dave-cancels")
    await asyncio.to_thread(shop.stack.stop, "payments")
    try:
        order = (await shop.place(dave, {sku: 2})).json()
        await wait_for_step(shop, dave, order["id"], "capturing-payment")

        cancelled = await shop.http.post(
            shop.url("orders", f"/orders/{order['id']}/cancel"),
            headers={**dave, "Idempotency-Key": "cancel-1"},
        )
        assert cancelled.status_code == 200, cancelled.text
        assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
            "CANCELLED",
            "customer-cancelled",
        )
        # A second cancel (a new key, not a retry) answers the same, changing nothing.
        again = await shop.http.post(
            shop.url("orders", f"/orders/{order['id']}/cancel"),
            headers={**dave, "Idempotency-Key": "cancel-2"},
        )
        assert again.status_code == 200
        assert again.json() == cancelled.json()
    finally:
        await asyncio.to_thread(shop.stack.start, "payments")

    await drain(shop.stack)
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (2, 0, 0)
    payments = await shop.payments_of(dave, order["id"])
    assert [p["status"] for p in payments] in (["voided"], ["refunded"])


async def test_payments_down_past_the_step_timeout_cancels_and_nets_to_zero(shop):
    sku = await shop.add_product(units=4)
    erin = await shop.customer("erin-timeout")
    await asyncio.to_thread(shop.stack.restart, "orders", {"SAGA_STEP_TIMEOUT_SECONDS": "5"})
    await asyncio.to_thread(shop.stack.stop, "payments")
    try:
        order = (await shop.place(erin, {sku: 1})).json()
        settled = await shop.settled(erin, order["id"], within=30)
        assert (settled["status"], settled["cancel_reason"]) == ("CANCELLED", "step-timeout")
    finally:
        await asyncio.to_thread(shop.stack.start, "payments")
        await asyncio.to_thread(shop.stack.restart, "orders")

    await drain(shop.stack)
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (4, 0, 0)
    payments = await shop.payments_of(erin, order["id"])
    assert [p["status"] for p in payments] in (["voided"], ["refunded"])
    assert (await shop.settled(erin, order["id"]))["status"] == "CANCELLED"  # never moves back


async def wait_for_step(shop, customer, order_id: str, step: str) -> None:
    async with asyncio.timeout(20):
        while True:
            body = (await shop.order(customer, order_id)).json()
            if body["step"] == step:
                return
            assert body["status"] == "PENDING", body
            await asyncio.sleep(0.1)
