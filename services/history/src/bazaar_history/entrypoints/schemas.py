"""The shapes of the history API: what it accepts and what it returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from bazaar_common.validation import RequestModel, SingleLine
from bazaar_history.domain.model import History

CustomerId = Annotated[str, StringConstraints(min_length=1, max_length=128), SingleLine]


class HistoryCreate(RequestModel):
    customer_id: CustomerId = Field(description="The customer who owns the new record")


class HistoryOut(BaseModel):
    id: UUID
    customer_id: str | None = Field(description="None when its event named no customer")
    created_at: datetime
    source_event_id: UUID | None = Field(description="The event it was made from, if any")

    @classmethod
    def of(cls, record: History) -> HistoryOut:
        origin = record.origin
        return cls(
            id=record.id,
            customer_id=record.customer_id,
            created_at=record.created_at,
            source_event_id=None if origin is None else origin.event_id,
        )


class HistoryPage(BaseModel):
    items: list[HistoryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
