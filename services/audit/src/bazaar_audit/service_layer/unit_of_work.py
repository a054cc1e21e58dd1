"""The audit unit of work: one transaction, the event store and the archive's queue on it.

Audit publishes nothing, so it has no outbox of its own to write to; the
outbox table exists only because every service database holds the pair.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_audit.adapters.archive_queue import ArchiveQueue
from bazaar_audit.adapters.event_store import EventStore
from bazaar_common.db.unit_of_work import SqlUnitOfWork


class AuditUnitOfWork(SqlUnitOfWork):
    events: EventStore
    archive: ArchiveQueue

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.events = EventStore(connection)
        self.archive = ArchiveQueue(connection)
