"""What the API reads: shipments, as the caller may see them."""

from __future__ import annotations

from uuid import UUID

from bazaar_shipping.adapters.repository import PageKey
from bazaar_shipping.domain.errors import ShipmentNotFound
from bazaar_shipping.domain.model import Shipment
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork


async def shipment(
    uow: ShippingUnitOfWork, shipment_id: UUID, *, customer_id: str | None
) -> Shipment:
    """The shipment, if ``customer_id`` may read it (None: anyone's); else not found."""
    async with uow.reading():
        found = await uow.shipments.get(shipment_id)
    if found is None or not found.visible_to(customer_id):
        raise ShipmentNotFound.with_id(shipment_id)
    return found


async def shipment_of_order(
    uow: ShippingUnitOfWork, order_id: UUID, *, customer_id: str | None
) -> Shipment:
    """The order's shipment, if ``customer_id`` may read it; else not found."""
    async with uow.reading():
        found = await uow.shipments.of_order(order_id)
    if found is None or not found.visible_to(customer_id):
        raise ShipmentNotFound.of_order(order_id)
    return found


async def shipments_page(
    uow: ShippingUnitOfWork, *, customer_id: str | None, after: PageKey | None, limit: int
) -> list[Shipment]:
    async with uow.reading():
        return await uow.shipments.page(customer_id=customer_id, after=after, limit=limit)
