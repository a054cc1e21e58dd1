"""The shapes of the history API: what it returns, and the filters it takes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from bazaar_common.validation import SingleLine
from bazaar_history.domain.model import OrderHistory, OrderState, PaymentState

# Compared in a query: a NUL would reach Postgres, which refuses it.
CustomerId = Annotated[str, StringConstraints(min_length=1, max_length=128), SingleLine]


class LineOut(BaseModel):
    sku: str
    quantity: int
    unit_price_minor: int


class PaymentOut(BaseModel):
    state: PaymentState = Field(
        description="`refunded` after a capture, whichever of the two events came first"
    )
    payment_id: UUID | None = Field(description="Null for a declined payment")
    amount_minor: int | None = Field(description="What was captured (and refunded)")
    decline_reason: str | None = Field(
        description="`card-declined`, `amount-over-limit` or `payment-voided`, when declined"
    )


class ShipmentOut(BaseModel):
    shipment_id: UUID
    created_at: datetime


class OrderHistoryOut(BaseModel):
    """An order as its events told it; what no event has told yet is null."""

    order_id: UUID
    customer_id: str | None = Field(description="Null until an event naming the customer came")
    state: OrderState
    lines: list[LineOut] | None = Field(description="Null until `OrderPlaced` came")
    total_minor: int | None
    currency: str | None
    first_event_at: datetime = Field(
        description="The earliest event of the order seen: its placement once that came; "
        "pages are newest first by it"
    )
    placed_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    payment: PaymentOut | None = Field(description="Null until a payment event came")
    shipment: ShipmentOut | None = Field(description="Null until `ShipmentCreated` came")

    @classmethod
    def of(cls, history: OrderHistory) -> OrderHistoryOut:
        return cls(
            order_id=history.order_id,
            customer_id=history.customer_id,
            state=history.state,
            lines=None
            if history.lines is None
            else [
                LineOut(
                    sku=line.sku, quantity=line.quantity, unit_price_minor=line.unit_price_minor
                )
                for line in history.lines
            ],
            total_minor=history.total_minor,
            currency=history.currency,
            first_event_at=history.first_event_at,
            placed_at=history.placed_at,
            confirmed_at=history.confirmed_at,
            cancelled_at=history.cancelled_at,
            cancel_reason=history.cancel_reason,
            payment=None
            if history.payment_state is None
            else PaymentOut(
                state=history.payment_state,
                payment_id=history.payment_id,
                amount_minor=history.payment_amount_minor,
                decline_reason=history.payment_decline_reason,
            ),
            shipment=None
            if history.shipment_id is None or history.shipment_created_at is None
            else ShipmentOut(
                shipment_id=history.shipment_id, created_at=history.shipment_created_at
            ),
        )


class OrderHistoryPage(BaseModel):
    items: list[OrderHistoryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
