"""The shapes of the shipping API: what it returns."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from bazaar_shipping.domain.model import Shipment


class ShipmentOut(BaseModel):
    id: UUID
    order_id: UUID = Field(description="The confirmed order it ships")
    customer_id: str
    created_at: datetime

    @classmethod
    def of(cls, shipment: Shipment) -> ShipmentOut:
        return cls(
            id=shipment.id,
            order_id=shipment.order_id,
            customer_id=shipment.customer_id,
            created_at=shipment.created_at,
        )


class ShipmentPage(BaseModel):
    items: list[ShipmentOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
