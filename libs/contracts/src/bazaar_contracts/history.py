"""What the history service publishes: a fact about each new history record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from bazaar_common.messaging.events import Event
from bazaar_contracts.fields import CustomerId


class HistoryEvent(Event):
    subject_field: ClassVar[str] = "history_id"

    history_id: UUID


class HistoryCreated(HistoryEvent):
    event_type: ClassVar[str] = "HistoryCreated"
    example_data: ClassVar[Mapping[str, Any]] = {"customer_id": "customer-1"}

    customer_id: CustomerId | None
    """The owner; None when the record came from an event that named no customer."""


PUBLISHED: tuple[type[Event], ...] = (HistoryCreated,)
