"""The orders unit of work: one transaction, the repositories on it, and its outbox.

The aggregates record their events; at commit the unit of work writes those
of every order it saved to the outbox, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.clock import utc_now
from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.observability import record_saga_outcome
from bazaar_contracts.orders import OrderCancelled, OrderConfirmed
from bazaar_orders.adapters.idempotency_repository import IdempotencyRepository
from bazaar_orders.adapters.order_repository import OrderRepository
from bazaar_orders.adapters.tables import messaging
from bazaar_orders.domain.model import Order

SOURCE = "bazaar.orders"

SagaEndRecorder = Callable[[str, float], None]
"""``(outcome, duration_seconds)``: the metric of an order's saga that ended."""


class OrdersUnitOfWork(SqlUnitOfWork):
    orders: OrderRepository
    idempotency: IdempotencyRepository
    outbox: Outbox

    def __init__(
        self, engine: AsyncEngine, *, record_saga_end: SagaEndRecorder = record_saga_outcome
    ) -> None:
        super().__init__(engine)
        self._record_saga_end = record_saga_end

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
                event = order.events.pop(0)
                await self.outbox.add(event)
                self._count_saga_end(order, event)
        self.orders.seen.clear()

    def _count_saga_end(self, order: Order, event: Event) -> None:
        """The saga's outcome and duration, counted once its end is committed."""
        if isinstance(event, OrderConfirmed):
            outcome = "confirmed"
        elif isinstance(event, OrderCancelled):
            outcome = event.reason  # out-of-stock, payment-declined, ...: a few fixed words
        else:
            return
        seconds = (utc_now() - order.created_at).total_seconds()
        self.after_commit(lambda: self._record_saga_end(outcome, seconds))
