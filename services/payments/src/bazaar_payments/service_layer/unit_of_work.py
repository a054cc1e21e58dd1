"""The payments unit of work: one transaction, the repositories on it, its outbox, the processor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.settings import ServiceSettings
from bazaar_payments.adapters.payment_repository import PaymentRepository
from bazaar_payments.adapters.simulated_processor import ProcessorRules, SimulatedCardProcessor
from bazaar_payments.adapters.tables import messaging
from bazaar_payments.service_layer.card_processor import CardProcessor, NoCardProcessor
from bazaar_payments.settings import PaymentsSettings

SOURCE = "bazaar.payments"


class PaymentsUnitOfWork(SqlUnitOfWork):
    """A message handler gets only its unit of work, so the processor travels in it."""

    payments: PaymentRepository

    def __init__(self, engine: AsyncEngine, *, card_processor: CardProcessor | None = None) -> None:
        super().__init__(engine)
        self.card_processor = card_processor or NoCardProcessor()

    @classmethod
    def factory(cls, engine: AsyncEngine, settings: ServiceSettings) -> Callable[[], Self]:
        """The consumer's units of work, sharing one processor made from the settings."""
        if not isinstance(settings, PaymentsSettings):
            raise TypeError(f"payments needs PaymentsSettings, not {type(settings).__name__}")
        card_processor = SimulatedCardProcessor(ProcessorRules.of(settings))
        return lambda: cls(engine, card_processor=card_processor)

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.payments = PaymentRepository(connection, self.seen)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)
