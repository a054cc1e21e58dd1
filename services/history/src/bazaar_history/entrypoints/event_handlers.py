"""The events history consumes, each with its handler: one record per event.

Each runs in the consumer's open unit of work, with the message's inbox
row; an exception rolls both back and the message comes back to be retried.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts.orders import OrderCancelled, OrderConfirmed, OrderPlaced
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentRefunded
from bazaar_contracts.shipping import ShipmentCreated
from bazaar_history.domain.model import Origin
from bazaar_history.service_layer import records
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def record_order_placed(
    event: OrderPlaced, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, event.customer_id)


async def record_order_confirmed(
    event: OrderConfirmed, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, event.customer_id)


async def record_order_cancelled(
    event: OrderCancelled, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, event.customer_id)


async def record_payment_captured(
    event: PaymentCaptured, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, None)


async def record_payment_declined(
    event: PaymentDeclined, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, None)


async def record_payment_refunded(
    event: PaymentRefunded, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, None)


async def record_shipment_created(
    event: ShipmentCreated, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    origin = Origin(envelope.id, envelope.subject)
    await records.record_event(uow, origin, event.customer_id)


HANDLERS: Mapping[type[Event], Handler[HistoryUnitOfWork]] = {
    OrderPlaced: record_order_placed,
    OrderConfirmed: record_order_confirmed,
    OrderCancelled: record_order_cancelled,
    PaymentCaptured: record_payment_captured,
    PaymentDeclined: record_payment_declined,
    PaymentRefunded: record_payment_refunded,
    ShipmentCreated: record_shipment_created,
}
