"""The events inventory publishes: the facts other services may act on."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from bazaar_common.messaging.events import Event


class ReservedLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: str
    quantity: int


class StockReserved(Event):
    event_type: ClassVar[str] = "StockReserved"
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID
    lines: tuple[ReservedLine, ...]


class StockReleased(Event):
    event_type: ClassVar[str] = "StockReleased"
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID
    lines: tuple[ReservedLine, ...]


class StockCommitted(Event):
    event_type: ClassVar[str] = "StockCommitted"
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID


PUBLISHED: tuple[type[Event], ...] = (StockReserved, StockReleased, StockCommitted)
