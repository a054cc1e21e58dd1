"""The shapes of the audit API: the query values it accepts and what it returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
)

from bazaar_audit.domain.model import RecordedEvent
from bazaar_common.validation import SingleLine
from bazaar_contracts import ALL_EVENTS

KNOWN_EVENT_TYPES = tuple(sorted(event_class.event_type for event_class in ALL_EVENTS))
MAX_PAGE_LIMIT = 200
DEFAULT_PAGE_LIMIT = 50


def _known_event_type(value: str) -> str:
    if value not in KNOWN_EVENT_TYPES:
        raise ValueError(f"must be an event type name, one of {', '.join(KNOWN_EVENT_TYPES)}")
    return value


def _iso_8601(value: object) -> object:
    """Only ISO 8601 text with an offset: no Unix timestamps, no local times."""
    if not isinstance(value, str):
        return value
    hint = "an ISO 8601 date-time with a time zone, e.g. 2026-12-01T10:00:00Z (send + as %2B)"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"must be {hint}") from None
    if parsed.utcoffset() is None:
        raise ValueError(f"must be {hint}")
    try:
        parsed.astimezone(UTC)  # year 1 at +14:00 has no UTC time to compare
    except OverflowError:
        raise ValueError("is out of range") from None
    return parsed


EventTypeName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_event_type)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_8601)]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=128), SingleLine]


class EventOut(BaseModel):
    id: UUID
    type: str
    source: str
    subject: str
    version: int
    time: datetime = Field(description="When the publisher wrote it")
    received_at: datetime = Field(description="When audit stored it")
    causation_id: UUID | None = Field(description="The event whose handling wrote this one")
    traceparent: str | None
    data: dict[str, Any]

    @classmethod
    def all_of(cls, events: Sequence[RecordedEvent]) -> list[EventOut]:
        return [cls.model_validate(event, from_attributes=True) for event in events]


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


class TimelineOut(BaseModel):
    order_id: UUID
    events: list[EventOut] = Field(description="In causal order: each after its cause")
    truncated: bool = Field(description="True when only the order's first events are shown")
