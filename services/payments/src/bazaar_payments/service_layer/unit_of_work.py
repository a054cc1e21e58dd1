"""The payments unit of work: one transaction, the repositories on it, and the card processor."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.outbox import Outbox
from bazaar_payments.adapters.payment_repository import PaymentRepository
from bazaar_payments.adapters.tables import messaging
from bazaar_payments.service_layer.card_processor import CardProcessor, NoCardProcessor

SOURCE = "bazaar.payments"


class PaymentsUnitOfWork(SqlUnitOfWork):
    """A message handler gets only its unit of work, so the processor travels in it."""

    payments: PaymentRepository
    outbox: Outbox

    def __init__(self, engine: AsyncEngine, *, card_processor: CardProcessor | None = None) -> None:
        super().__init__(engine)
        self.card_processor = card_processor or NoCardProcessor()

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.payments = PaymentRepository(connection)
        self.outbox = Outbox(connection, messaging.outbox, source=SOURCE)
