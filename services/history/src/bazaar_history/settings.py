"""History configuration: the shared service settings, and the archive a rebuild reads."""

from __future__ import annotations

from pydantic import Field

from bazaar_common.archive.bucket import BUCKET_NAME_PATTERN
from bazaar_common.settings import ServiceSettings


class HistorySettings(ServiceSettings):
    event_archive_bucket: str | None = Field(
        default=None,
        pattern=BUCKET_NAME_PATTERN,
        description="The S3 bucket of the event archive, which `python -m "
        "bazaar_history.rebuild` reads; the service itself never does",
    )
