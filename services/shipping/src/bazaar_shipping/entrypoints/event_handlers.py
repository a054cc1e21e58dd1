"""The events shipping consumes, each with its handler: one record per event.

Each runs in the consumer's open unit of work, with the message's inbox
row; an exception rolls both back and the message comes back to be retried.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts.orders import OrderConfirmed
from bazaar_shipping.domain.model import Origin
from bazaar_shipping.service_layer import records
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork


async def record_order_confirmed(
    event: OrderConfirmed, envelope: Envelope, uow: ShippingUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, event.customer_id)


HANDLERS: Mapping[type[Event], Handler[ShippingUnitOfWork]] = {
    OrderConfirmed: record_order_confirmed,
}
