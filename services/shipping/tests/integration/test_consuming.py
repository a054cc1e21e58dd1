"""A confirmed order gets one shipment, once, whatever the redeliveries."""

from __future__ import annotations

from uuid import UUID, uuid4

from bazaar_contracts.orders import OrderConfirmed
from bazaar_shipping.service_layer import shipping

ORDERS = "bazaar.orders"


def confirmed(order_id: UUID | None = None, customer_id: str = "customer-1") -> OrderConfirmed:
    return OrderConfirmed(
        order_id=order_id or uuid4(), customer_id=customer_id, total_minor=1000, currency="EUR"
    )


async def test_a_confirmed_order_gets_a_shipment_and_it_is_published(deliver, db):
    event = confirmed()

    await deliver(event, source=ORDERS)

    (row,) = await db.rows("SELECT * FROM shipments")
    assert (row["order_id"], row["customer_id"]) == (event.order_id, "customer-1")
    (published,) = await db.published()
    assert (published["type"], published["subject"]) == ("ShipmentCreated", str(event.order_id))
    assert published["data"]["shipment_id"] == str(row["id"])


async def test_the_shipment_s_event_is_caused_by_the_confirmation(deliver, db):
    envelope = await deliver(confirmed(), source=ORDERS)

    (published,) = await db.published()
    assert published["causation_id"] == str(envelope.id)


async def test_the_same_envelope_twice_has_one_effect(deliver, db):
    envelope = await deliver(confirmed(), source=ORDERS)

    assert await deliver.handled(envelope) is False  # the inbox had it

    assert await db.count("shipments") == 1
    assert await db.count("outbox") == 1


async def test_the_order_confirmed_again_under_a_new_id_still_ships_once(deliver, db):
    event = confirmed()

    await deliver(event, source=ORDERS)
    await deliver(event, source=ORDERS)  # a new envelope: the inbox cannot tell

    assert await db.count("shipments") == 1
    assert await db.count("outbox") == 1


async def test_an_order_the_inbox_lost_still_gets_no_second_shipment(new_uow, db):
    order_id = uuid4()

    assert await shipping.ship_confirmed_order(new_uow(), order_id, "customer-1") is True
    assert await shipping.ship_confirmed_order(new_uow(), order_id, "customer-1") is False

    assert await db.count("shipments") == 1
    assert await db.count("outbox") == 1
