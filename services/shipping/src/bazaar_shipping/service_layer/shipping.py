"""The one write: a confirmed order gets its shipment, once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_common.messaging.ids import uuid7
from bazaar_shipping.domain.model import Shipment
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork

logger = logging.getLogger("bazaar.shipping")

NewId = Callable[[], UUID]


async def ship_confirmed_order(
    uow: ShippingUnitOfWork,
    order_id: UUID,
    customer_id: str,
    *,
    clock: Clock = utc_now,
    new_id: NewId = uuid7,
) -> bool:
    """A shipment for the order; False when it has one already (no change)."""
    async with uow:
        shipment = Shipment.for_confirmed_order(
            new_id(), order_id=order_id, customer_id=customer_id, now=clock()
        )
        added = await uow.shipments.add(shipment)
        await uow.commit()
    if not added:
        # The consumer's inbox filters redeliveries first; reaching here means
        # it lost the row (purged, restored) and the unique order caught it.
        logger.info("order already has a shipment", extra={"order_id": str(order_id)})
    return added
