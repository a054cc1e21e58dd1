"""The events shipping consumes, each with its handler: a confirmed order is shipped.

Each runs in the consumer's open unit of work, with the message's inbox
row; an exception rolls both back and the message comes back to be retried.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts.orders import OrderConfirmed
from bazaar_shipping.service_layer import shipping
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork


async def ship_confirmed_order(
    event: OrderConfirmed, envelope: Envelope, uow: ShippingUnitOfWork
) -> None:
    await shipping.ship_confirmed_order(uow, event.order_id, event.customer_id)


HANDLERS: Mapping[type[Event], Handler[ShippingUnitOfWork]] = {
    OrderConfirmed: ship_confirmed_order,
}
