"""What can go wrong with shipments, each with its status."""

from __future__ import annotations

from uuid import UUID

from bazaar_common.errors import NotFound


class ShipmentNotFound(NotFound):
    """Also what a caller gets for another customer's shipment: the two look the same."""

    code = "shipment-not-found"
    title = "Shipment not found"

    @classmethod
    def with_id(cls, shipment_id: UUID) -> ShipmentNotFound:
        return cls(f"No shipment with id {shipment_id}.", shipment_id=str(shipment_id))

    @classmethod
    def of_order(cls, order_id: UUID) -> ShipmentNotFound:
        """No shipment yet (the order is not confirmed), or not the caller's order."""
        return cls(f"No shipment for order {order_id}.", order_id=str(order_id))
