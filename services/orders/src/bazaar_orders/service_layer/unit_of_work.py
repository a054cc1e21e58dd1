"""The orders unit of work: one transaction, the repositories on it, and its outbox.

The aggregates record their events; at commit the unit of work writes those
of every order it saved to the outbox, in the same transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.outbox import Outbox
from bazaar_orders.adapters.idempotency_repository import IdempotencyRepository
from bazaar_orders.adapters.order_repository import OrderRepository
from bazaar_orders.adapters.tables import messaging

SOURCE = "bazaar.orders"


class OrdersUnitOfWork(SqlUnitOfWork):
    orders: OrderRepository
    idempotency: IdempotencyRepository
    outbox: Outbox

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.orders = OrderRepository(connection)
        self.idempotency = IdempotencyRepository(connection)
        self.outbox = Outbox(connection, messaging.outbox, source=SOURCE)

    async def commit(self) -> None:
        # Before the base class's commit, which is a no-op when this block is
        # joined to a consumer's: the events must be in that transaction too.
        await self.publish_recorded_events()
        await super().commit()

    async def publish_recorded_events(self) -> None:
        for order in self.orders.seen:
            while order.events:
                await self.outbox.add(order.events.pop(0))
        self.orders.seen.clear()
