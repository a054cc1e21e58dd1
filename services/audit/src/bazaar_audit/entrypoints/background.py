"""What the audit app runs for its lifetime: the archive writer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from bazaar_audit.service_layer.archiving import ArchiveWriter
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_audit.settings import AuditSettings
from bazaar_common.archive.store import open_archive_store
from bazaar_common.background import running_job

logger = logging.getLogger("bazaar.audit.archive")
WRITER_STOP_SECONDS = 10.0


@asynccontextmanager
async def archive_writer(app: FastAPI) -> AsyncIterator[None]:
    """Writes the archive in the background; a last flush on the way out."""
    settings: AuditSettings = app.state.settings
    if settings.event_archive_bucket is None:
        logger.warning("EVENT_ARCHIVE_BUCKET unset: events are queued, not archived")
        yield
        return
    engine = app.state.engine
    async with AsyncExitStack() as clients:
        store = await open_archive_store(settings, settings.event_archive_bucket, clients)
        writer = ArchiveWriter(
            lambda: AuditUnitOfWork(engine),
            store,
            max_events=settings.archive_batch_max_events,
            interval_seconds=settings.archive_flush_interval_seconds,
        )
        app.state.archive_writer = writer
        # A flush in progress finishes; what is left stays queued for the next start.
        async with running_job(
            writer, name="audit-archive-writer", stop_within=WRITER_STOP_SECONDS
        ):
            yield
