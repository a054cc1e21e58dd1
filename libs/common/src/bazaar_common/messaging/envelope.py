"""The envelope every event travels in, whatever its type.

It is the ``Detail`` of the EventBridge event, so a consumer can check where
an event came from and what it is before it looks at the data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: UUID = Field(description="UUIDv7, unique per event; consumers deduplicate on it")
    type: str = Field(pattern=r"^[A-Z][A-Za-z0-9]{1,63}$", description="e.g. StockReserved")
    source: str = Field(pattern=r"^bazaar\.[a-z][a-z0-9-]*$", description="bazaar.<service>")
    time: AwareDatetime
    subject: str = Field(min_length=1, max_length=128, description="the aggregate id")
    version: int = Field(ge=1, le=1_000)
    data: dict[str, Any]
    traceparent: str | None = Field(default=None, pattern=TRACEPARENT_PATTERN)
    causation_id: UUID | None = Field(
        default=None, description="the event whose handling wrote this one, if any"
    )

    @property
    def occurred_at(self) -> datetime:
        return self.time
