"""What the audit service knows of an event, and how its readers pick some out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from bazaar_audit.domain.errors import InvalidTimeRange


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as the store holds it: its envelope's fields, and when it arrived."""

    id: UUID
    type: str
    source: str
    subject: str
    version: int
    time: datetime
    """When the publisher wrote it (the envelope's ``time``)."""
    received_at: datetime
    """When the audit service stored it."""
    causation_id: UUID | None
    traceparent: str | None
    data: Mapping[str, Any]

    @property
    def position(self) -> Position:
        return Position(self.time, self.id)


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """An event's place in the store's order: by time, ties broken by id."""

    time: datetime
    event_id: UUID


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a reader asks for; every field left out matches all.

    ``since`` is inclusive and ``until`` exclusive, so consecutive ranges
    never share an event.
    """

    subject: str | None = None
    type: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise InvalidTimeRange(self.since, self.until)
