"""The shipment: one per confirmed order, readable by its customer, telling the bus."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from bazaar_contracts.shipping import ShipmentCreated
from bazaar_shipping.domain.model import Shipment

T0 = datetime(2030, 1, 1, tzinfo=UTC)
SHIPMENT_ID = UUID(int=1)
ORDER_ID = UUID(int=2)


def shipment() -> Shipment:
    return Shipment.for_confirmed_order(
        SHIPMENT_ID, order_id=ORDER_ID, customer_id="customer-1", now=T0
    )


def test_a_confirmed_order_s_shipment_records_that_it_was_created():
    made = shipment()

    assert (made.id, made.order_id, made.customer_id, made.created_at) == (
        SHIPMENT_ID,
        ORDER_ID,
        "customer-1",
        T0,
    )
    assert made.pull_events() == [
        ShipmentCreated(order_id=ORDER_ID, shipment_id=SHIPMENT_ID, customer_id="customer-1")
    ]
    assert made.pull_events() == []


def test_its_events_are_about_the_order_so_the_order_s_timeline_shows_them():
    assert [event.subject for event in shipment().pull_events()] == [str(ORDER_ID)]


def test_only_its_customer_and_admins_see_a_shipment():
    made = shipment()

    assert made.visible_to("customer-1")
    assert made.visible_to(None)
    assert not made.visible_to("customer-2")
