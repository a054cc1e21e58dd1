"""What the payments service publishes: its replies to the saga's payment commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import AmountMinor, Currency, Reason


class PaymentEvent(Event):
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID


class PaymentCaptured(PaymentEvent):
    event_type: ClassVar[str] = "PaymentCaptured"
    example_data: ClassVar[Mapping[str, Any]] = {
        "payment_id": "0193a0c4-0000-7000-8000-000000000001",
        "amount_minor": 1000,
        "currency": "EUR",
    }

    payment_id: UUID
    amount_minor: AmountMinor
    currency: Currency


class PaymentDeclined(PaymentEvent):
    """No money moved."""

    event_type: ClassVar[str] = "PaymentDeclined"
    example_data: ClassVar[Mapping[str, Any]] = {"reason": "card-declined"}

    reason: Reason
    """``card-declined``, ``amount-over-limit`` or ``payment-voided`` (refunded before capture)."""


class PaymentRefunded(PaymentEvent):
    event_type: ClassVar[str] = "PaymentRefunded"
    example_data: ClassVar[Mapping[str, Any]] = {
        "payment_id": "0193a0c4-0000-7000-8000-000000000001",
        "amount_minor": 1000,
        "currency": "EUR",
    }

    payment_id: UUID
    amount_minor: AmountMinor
    currency: Currency


PUBLISHED: tuple[type[Event], ...] = (PaymentCaptured, PaymentDeclined, PaymentRefunded)
