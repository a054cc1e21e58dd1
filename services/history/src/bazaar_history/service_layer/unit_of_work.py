"""The history unit of work: one transaction, the repositories on it, its outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.idempotency.repository import IdempotencyRepository
from bazaar_common.messaging.outbox import Outbox
from bazaar_history.adapters.repository import HistoryRepository
from bazaar_history.adapters.tables import idempotency_keys, messaging

SOURCE = "bazaar.history"


class HistoryUnitOfWork(SqlUnitOfWork):
    records: HistoryRepository
    idempotency: IdempotencyRepository

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.records = HistoryRepository(connection, self.seen)
        self.idempotency = IdempotencyRepository(connection, idempotency_keys)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)
