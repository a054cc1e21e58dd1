"""Audit configuration: the shared service settings and the archive writer's."""

from __future__ import annotations

from pydantic import Field, model_validator

from bazaar_common.archive.bucket import BUCKET_NAME_PATTERN
from bazaar_common.settings import Environment, ServiceSettings


class AuditSettings(ServiceSettings):
    event_archive_bucket: str | None = Field(
        default=None,
        pattern=BUCKET_NAME_PATTERN,
        description="The S3 bucket of the event archive; without it (local and test only) "
        "events are queued for the archive and nothing is written",
    )
    archive_flush_interval_seconds: float = Field(
        default=2.0,
        gt=0,
        le=900,
        description="How long an event waits at most before its batch is written",
    )
    archive_batch_max_events: int = Field(
        default=1_000, ge=1, le=50_000, description="Events in one archived object at most"
    )

    @model_validator(mode="after")
    def _archive_outside_local(self) -> AuditSettings:
        if self.event_archive_bucket is None and self.environment not in (
            Environment.LOCAL,
            Environment.TEST,
        ):
            raise ValueError(
                "EVENT_ARCHIVE_BUCKET is required outside local and test: "
                "the archive is the one durable copy of every event"
            )
        return self
