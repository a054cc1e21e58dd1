"""The shapes of the payments API: what it returns."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from bazaar_payments.domain.model import Payment


class PaymentOut(BaseModel):
    id: UUID
    order_id: UUID
    customer_id: str | None = Field(description="Unknown on a payment voided before any capture")
    status: str = Field(description="captured, declined, refunded or voided")
    amount_minor: int | None = Field(description="What the capture asked for, in minor units")
    currency: str | None
    decline_reason: str | None = Field(
        description="card-declined, amount-over-limit or payment-voided"
    )
    created_at: datetime
    updated_at: datetime
    captured_at: datetime | None
    refunded_at: datetime | None

    @classmethod
    def of(cls, payment: Payment) -> PaymentOut:
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            customer_id=payment.customer_id,
            status=payment.status.value,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            decline_reason=None if payment.decline_reason is None else payment.decline_reason.value,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
            captured_at=payment.captured_at,
            refunded_at=payment.refunded_at,
        )


class PaymentPage(BaseModel):
    items: list[PaymentOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
