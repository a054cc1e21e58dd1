"""The shipment: one per confirmed order, owned by the order's customer.

Pure Python, no I/O. A new shipment records ``ShipmentCreated``; the unit of
work writes it to the outbox in the transaction that saves the shipment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from bazaar_contracts.shipping import ShipmentCreated, ShipmentEvent


@dataclass(slots=True)
class Shipment:
    id: UUID
    order_id: UUID
    """The order it ships; an order has at most one shipment."""
    customer_id: str
    """The order's customer, the only customer who may read it."""
    created_at: datetime
    events: list[ShipmentEvent] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def for_confirmed_order(
        cls, shipment_id: UUID, *, order_id: UUID, customer_id: str, now: datetime
    ) -> Shipment:
        shipment = cls(id=shipment_id, order_id=order_id, customer_id=customer_id, created_at=now)
        shipment.events.append(
            ShipmentCreated(order_id=order_id, shipment_id=shipment_id, customer_id=customer_id)
        )
        return shipment

    def visible_to(self, customer_id: str | None) -> bool:
        """Whether ``customer_id`` may read it (None: an admin, who reads all)."""
        return customer_id is None or self.customer_id == customer_id

    def pull_events(self) -> list[ShipmentEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled
