"""What the inventory service publishes: its replies to the saga's stock commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import Part, Reason, Sku, StockLine


class StockEvent(Event):
    subject_field: ClassVar[str] = "order_id"

    order_id: UUID


class StockReserved(StockEvent):
    event_type: ClassVar[str] = "StockReserved"
    example_data: ClassVar[Mapping[str, Any]] = {"lines": [{"sku": "MUG-1", "quantity": 2}]}

    lines: tuple[StockLine, ...]


class Shortage(Part):
    sku: Sku
    requested: int = Field(ge=0)
    available: int = Field(ge=0)


class StockRejected(StockEvent):
    """Nothing was reserved: the order cannot have the units it asked for."""

    event_type: ClassVar[str] = "StockRejected"
    example_data: ClassVar[Mapping[str, Any]] = {
        "reason": "insufficient-stock",
        "shortages": [{"sku": "MUG-1", "requested": 2, "available": 1}],
    }

    reason: Reason
    """``insufficient-stock``, ``unknown-products`` or ``reservation-conflict``."""
    shortages: tuple[Shortage, ...] = ()


class StockReleased(StockEvent):
    event_type: ClassVar[str] = "StockReleased"
    example_data: ClassVar[Mapping[str, Any]] = {"lines": [{"sku": "MUG-1", "quantity": 2}]}

    lines: tuple[StockLine, ...]


class StockCommitted(StockEvent):
    event_type: ClassVar[str] = "StockCommitted"


PUBLISHED: tuple[type[Event], ...] = (StockReserved, StockRejected, StockReleased, StockCommitted)
