"""What one event tells of its order's history: the row as that event alone knows it.

The consumer merges each fact into the row it finds (``OrderHistory.merge``);
a fact is also a whole row, when its event is the first of its order to come.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bazaar_contracts.orders import OrderCancelled, OrderConfirmed, OrderPlaced
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentRefunded
from bazaar_contracts.shipping import ShipmentCreated
from bazaar_history.domain.model import Line, OrderHistory, OrderState, PaymentState

HistoryEvent = (
    OrderPlaced
    | OrderConfirmed
    | OrderCancelled
    | PaymentCaptured
    | PaymentDeclined
    | PaymentRefunded
    | ShipmentCreated
)
"""Every event an order's history is made of."""
CONSUMED = (
    OrderPlaced,
    OrderConfirmed,
    OrderCancelled,
    PaymentCaptured,
    PaymentDeclined,
    PaymentRefunded,
    ShipmentCreated,
)


def fact_of(event: HistoryEvent, at: datetime) -> OrderHistory:
    """The order's history as ``event``, which happened ``at``, tells it."""
    match event:
        case OrderPlaced():
            return OrderHistory(
                event.order_id,
                at,
                customer_id=event.customer_id,
                lines=tuple(
                    Line(line.sku, line.quantity, line.unit_price_minor) for line in event.lines
                ),
                total_minor=event.total_minor,
                currency=event.currency,
                placed_at=at,
            )
        case OrderConfirmed():
            return OrderHistory(
                event.order_id,
                at,
                state=OrderState.CONFIRMED,
                customer_id=event.customer_id,
                total_minor=event.total_minor,
                currency=event.currency,
                confirmed_at=at,
            )
        case OrderCancelled():
            return OrderHistory(
                event.order_id,
                at,
                state=OrderState.CANCELLED,
                customer_id=event.customer_id,
                cancelled_at=at,
                cancel_reason=event.reason,
            )
        case PaymentCaptured():
            return OrderHistory(
                event.order_id,
                at,
                payment_state=PaymentState.CAPTURED,
                payment_id=event.payment_id,
                payment_amount_minor=event.amount_minor,
            )
        case PaymentRefunded():
            return OrderHistory(
                event.order_id,
                at,
                payment_state=PaymentState.REFUNDED,
                payment_id=event.payment_id,
                payment_amount_minor=event.amount_minor,
            )
        case PaymentDeclined():
            return OrderHistory(
                event.order_id,
                at,
                payment_state=PaymentState.DECLINED,
                payment_decline_reason=event.reason,
            )
        case ShipmentCreated():
            return OrderHistory(
                event.order_id,
                at,
                customer_id=event.customer_id,
                shipment_id=event.shipment_id,
                shipment_created_at=at,
            )
        case _:
            assert_never(event)
