"""What the shipping service publishes: the shipment each confirmed order gets.

Shipping is choreographed, not orchestrated: no saga asks it for anything, it
reacts to ``OrderConfirmed``. Its events are about the order (their subject
is the order's id) so that an order's audit timeline shows its shipment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import CustomerId


class ShipmentEvent(Event):
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID
    shipment_id: UUID


class ShipmentCreated(ShipmentEvent):
    """The order is to be shipped: one shipment per confirmed order."""

    event_type: ClassVar[str] = "ShipmentCreated"
    example_data: ClassVar[Mapping[str, Any]] = {
        "shipment_id": "0193a0c4-0000-7000-8000-000000000002",
        "customer_id": "customer-1",
    }

    customer_id: CustomerId
    """The order's customer, who may read the shipment."""


PUBLISHED: tuple[type[Event], ...] = (ShipmentCreated,)
