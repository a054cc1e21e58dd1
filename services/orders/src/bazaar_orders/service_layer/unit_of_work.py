"""The orders unit of work: one transaction, the repositories on it, and its outbox.

The orders record their events; at commit the unit of work writes those of
every order it saved to the outbox, in the same transaction
(``SqlUnitOfWork``), and counts each saga that ended.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.clock import utc_now
from bazaar_common.db.unit_of_work import RecordsEvents, SqlUnitOfWork
from bazaar_common.idempotency.repository import IdempotencyRepository
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.observability import record_saga_outcome
from bazaar_contracts.orders import OrderCancelled, OrderConfirmed
from bazaar_orders.adapters.order_repository import OrderRepository
from bazaar_orders.adapters.tables import idempotency_keys, messaging
from bazaar_orders.domain.model import Order

SOURCE = "bazaar.orders"

SagaEndRecorder = Callable[[str, float], None]
"""``(outcome, duration_seconds)``: the metric of an order's saga that ended."""


class OrdersUnitOfWork(SqlUnitOfWork):
    orders: OrderRepository
    idempotency: IdempotencyRepository

    def __init__(
        self, engine: AsyncEngine, *, record_saga_end: SagaEndRecorder = record_saga_outcome
    ) -> None:
        super().__init__(engine)
        self._record_saga_end = record_saga_end

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.orders = OrderRepository(connection, self.seen)
        self.idempotency = IdempotencyRepository(connection, idempotency_keys)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)

    def event_written(self, aggregate: RecordsEvents, event: Event) -> None:
        """The saga's outcome and duration, counted once its end is committed."""
        if isinstance(event, OrderConfirmed):
            outcome = "confirmed"
        elif isinstance(event, OrderCancelled):
            outcome = event.reason  # out-of-stock, payment-declined, ...: a few fixed words
        else:
            return
        assert isinstance(aggregate, Order), "only orders end sagas"
        seconds = (utc_now() - aggregate.created_at).total_seconds()
        self.after_commit(lambda: self._record_saga_end(outcome, seconds))
