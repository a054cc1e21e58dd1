"""The events orders consumes, each with its handler: the saga's replies.

Each handler runs inside the consumer's open unit of work, with the reply's
inbox row; ``saga.apply_reply`` joins that transaction. The reply's envelope
id becomes the transition's cause, and the commands written meanwhile carry
it as their ``causation_id``.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts.inventory import StockEvent, StockRejected, StockReserved
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentEvent
from bazaar_orders.service_layer import saga
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork


def reply_handler(reply: saga.Reply) -> Handler[OrdersUnitOfWork]:
    """A handler applying ``reply`` to the event's order."""

    async def handle(
        event: StockEvent | PaymentEvent, envelope: Envelope, uow: OrdersUnitOfWork
    ) -> None:
        await saga.apply_reply(
            uow, event.order_id, reply, reply_type=envelope.type, cause_event_id=envelope.id
        )

    return handle


HANDLERS: Mapping[type[Event], Handler[OrdersUnitOfWork]] = {
    StockReserved: reply_handler(saga.stock_reserved),
    StockRejected: reply_handler(saga.stock_rejected),
    PaymentCaptured: reply_handler(saga.payment_captured),
    PaymentDeclined: reply_handler(saga.payment_declined),
}
