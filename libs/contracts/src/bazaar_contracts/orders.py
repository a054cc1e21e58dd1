"""What the orders service publishes: the order's facts and the saga's commands.

Commands are events too: they travel on the bus, through the outbox, and are
routed by type to the one service that carries them out. Their replies are
that service's events (``inventory``, ``payments``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field, field_validator

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import (
    MAX_EVENT_LINES,
    AmountMinor,
    CardToken,
    Currency,
    CustomerId,
    Part,
    Quantity,
    Reason,
    Sku,
    StockLine,
)


class OrderEvent(Event):
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID


class OrderLine(Part):
    sku: Sku
    quantity: Quantity
    unit_price_minor: AmountMinor


class OrderPlaced(OrderEvent):
    event_type: ClassVar[str] = "OrderPlaced"
    example_data: ClassVar[Mapping[str, Any]] = {
        "customer_id": "customer-1",
        "lines": [{"sku": "MUG-1", "quantity": 2, "unit_price_minor": 500}],
        "total_minor": 1000,
        "currency": "EUR",
    }

    customer_id: CustomerId
    lines: tuple[OrderLine, ...]
    total_minor: AmountMinor
    currency: Currency


class OrderConfirmed(OrderEvent):
    event_type: ClassVar[str] = "OrderConfirmed"
    example_data: ClassVar[Mapping[str, Any]] = {
        "customer_id": "customer-1",
        "total_minor": 1000,
        "currency": "EUR",
    }

    customer_id: CustomerId
    total_minor: AmountMinor
    currency: Currency


class OrderCancelled(OrderEvent):
    event_type: ClassVar[str] = "OrderCancelled"
    example_data: ClassVar[Mapping[str, Any]] = {
        "customer_id": "customer-1",
        "reason": "out-of-stock",
    }

    customer_id: CustomerId
    reason: Reason
    """``out-of-stock``, ``payment-declined``, ``customer-cancelled``, ``step-timeout``."""


class ReserveStock(OrderEvent):
    """Command to inventory: hold these units for the order (replies StockReserved/Rejected)."""

    event_type: ClassVar[str] = "ReserveStock"
    example_data: ClassVar[Mapping[str, Any]] = {"lines": [{"sku": "MUG-1", "quantity": 2}]}

    lines: tuple[StockLine, ...] = Field(min_length=1, max_length=MAX_EVENT_LINES)

    @field_validator("lines")
    @classmethod
    def _one_line_per_sku(cls, lines: tuple[StockLine, ...]) -> tuple[StockLine, ...]:
        if len({line.sku for line in lines}) != len(lines):
            raise ValueError("each sku at most once")
        return lines


class ReleaseStock(OrderEvent):
    """Compensation: give back what the order holds; a no-op if it holds nothing."""

    event_type: ClassVar[str] = "ReleaseStock"


class CommitStock(OrderEvent):
    """The order is confirmed: its held units become sold."""

    event_type: ClassVar[str] = "CommitStock"


class CapturePayment(OrderEvent):
    """Command to payments: take the money (replies PaymentCaptured/Declined)."""

    event_type: ClassVar[str] = "CapturePayment"
    example_data: ClassVar[Mapping[str, Any]] = {
        "customer_id": "customer-1",
        "amount_minor": 1000,
        "currency": "EUR",
        "card_token": "tok_visa",
    }

    customer_id: CustomerId
    amount_minor: AmountMinor
    currency: Currency
    card_token: CardToken


class RefundPayment(OrderEvent):
    """Compensation: refund the order's capture; voids the order's payment if none came yet."""

    event_type: ClassVar[str] = "RefundPayment"


PUBLISHED: tuple[type[Event], ...] = (
    OrderPlaced,
    OrderConfirmed,
    OrderCancelled,
    ReserveStock,
    ReleaseStock,
    CommitStock,
    CapturePayment,
    RefundPayment,
)
