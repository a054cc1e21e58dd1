"""The history unit of work: one transaction and the repository on it.

History publishes nothing, so it has no outbox of its own to write to; the
outbox table exists only because every service database holds the pair.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_history.adapters.repository import OrderHistoryRepository


class HistoryUnitOfWork(SqlUnitOfWork):
    orders: OrderHistoryRepository

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.orders = OrderHistoryRepository(connection)
