"""What the shipping service publishes: a fact about each new shipping record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import CustomerId


class ShippingEvent(Event):
    subject_field: ClassVar[str] = "shipping_id"

    shipping_id: UUID


class ShippingCreated(ShippingEvent):
    event_type: ClassVar[str] = "ShippingCreated"
    example_data: ClassVar[Mapping[str, Any]] = {"customer_id": "customer-1"}

    customer_id: CustomerId | None
    """The owner; None when the record came from an event that named no customer."""


PUBLISHED: tuple[type[Event], ...] = (ShippingCreated,)
