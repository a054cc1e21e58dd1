"""The shapes of the orders API: what it accepts and what it returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, model_validator

from bazaar_common.validation import RequestModel, SingleLine
from bazaar_contracts.fields import CardToken, Sku
from bazaar_orders.domain.model import (
    MAX_CUSTOMER_ID_LENGTH,
    MAX_ORDER_LINE_QUANTITY,
    MAX_ORDER_LINES,
    Order,
    RequestedLine,
)

DEFAULT_CARD_TOKEN = "tok_visa"  # noqa: S105 - a test card's public token, no secret
# Compared in a query: a NUL would reach Postgres, which refuses it.
CustomerId = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_CUSTOMER_ID_LENGTH), SingleLine
]


class LineIn(RequestModel):
    sku: Sku
    quantity: int = Field(ge=1, le=MAX_ORDER_LINE_QUANTITY)

    def to_domain(self) -> RequestedLine:
        return RequestedLine(self.sku, self.quantity)


class PlaceOrderIn(RequestModel):
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_ORDER_LINES)
    card_token: CardToken = Field(
        default=DEFAULT_CARD_TOKEN, description="A processor token standing for a card"
    )

    @model_validator(mode="after")
    def _one_line_per_sku(self) -> PlaceOrderIn:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each sku may appear in one line only")
        return self


class LineOut(BaseModel):
    sku: str
    quantity: int
    unit_price_minor: int


class OrderOut(BaseModel):
    """An order as its customer sees it; the card token is never shown."""

    id: UUID
    customer_id: str
    status: Literal["PENDING", "CONFIRMED", "CANCELLED"]
    step: Literal["reserving-stock", "capturing-payment"] | None
    cancel_reason: str | None
    lines: list[LineOut]
    total_minor: int
    currency: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        return cls(
            id=order.id,
            customer_id=order.customer_id,
            status=order.status.value,
            step=None if order.step is None else order.step.value,
            cancel_reason=None if order.cancel_reason is None else order.cancel_reason.value,
            lines=[
                LineOut(
                    sku=line.sku, quantity=line.quantity, unit_price_minor=line.unit_price_minor
                )
                for line in order.lines
            ],
            total_minor=order.total_minor,
            currency=order.currency,
            created_at=order.created_at,
            updated_at=order.updated_at,
        )


def render_order(order: Order) -> str:
    """The JSON text of a created order's response, as stored with its idempotency key."""
    return OrderOut.of(order).model_dump_json()


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
