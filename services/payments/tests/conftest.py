"""Fixtures of the payments tests: the app on a real Postgres, clean per test.

The card processor is a fake of our own port wherever a test decides what
it answers; the simulated one is tested on its own and in the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData

from bazaar_common.messaging.causation import caused_by
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry
from bazaar_common.messaging.inbox import record_once
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.settings import make_test_settings
from bazaar_common.testing.tokens import JwksServer
from bazaar_contracts.orders import CapturePayment, RefundPayment
from bazaar_payments.adapters.tables import messaging, metadata
from bazaar_payments.domain.model import APPROVED, CardDecision, Charge
from bazaar_payments.main import MESSAGING, create_app
from bazaar_payments.service_layer.card_processor import CardProcessor, ProcessorUnavailable
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork
from bazaar_payments.settings import PaymentsSettings

CONSUMER = "payments"


@pytest.fixture(scope="session")
async def database_url(create_test_database: Callable[[str], Awaitable[str]]) -> str:
    return await create_test_database("payments_test")


@pytest.fixture(scope="session")
def settings(database_url: str, jwks_server: JwksServer) -> PaymentsSettings:
    return make_test_settings(PaymentsSettings, database_url, jwks_server)


@pytest.fixture(scope="session")
def service_app(settings: PaymentsSettings) -> FastAPI:
    """The app the plugin's ``app_and_client``, ``app`` and ``client`` run."""
    return create_app(settings)


@pytest.fixture(scope="session")
def service_tables() -> MetaData:
    return metadata


class FakeCardProcessor(CardProcessor):
    """Answers what the test says: ``APPROVED`` unless told otherwise per order.

    ``failures`` calls fail transiently first; each takes ``latency_seconds``;
    with ``hold()``, calls wait in the middle of their transaction until
    ``release()``.
    """

    def __init__(self) -> None:
        self.decisions: dict[UUID, CardDecision] = {}
        self.calls: list[Charge] = []
        self.failures = 0
        self.latency_seconds = 0.0
        self._gate: asyncio.Event | None = None
        self.waiting = asyncio.Event()

    async def capture(self, charge: Charge) -> CardDecision:
        self.calls.append(charge)
        if self.latency_seconds:
            await asyncio.sleep(self.latency_seconds)
        if self._gate is not None:
            self.waiting.set()
            await self._gate.wait()
        if self.failures:
            self.failures -= 1
            raise ProcessorUnavailable("the fake processor fails on purpose")
        return self.decisions.get(charge.order_id, APPROVED)

    def hold(self) -> None:
        self._gate = asyncio.Event()

    def release(self) -> None:
        assert self._gate is not None
        self._gate.set()


@pytest.fixture
def card_processor() -> FakeCardProcessor:
    return FakeCardProcessor()


NewUow = Callable[[], PaymentsUnitOfWork]


@pytest.fixture
def new_uow(app: FastAPI, card_processor: FakeCardProcessor) -> NewUow:
    return lambda: PaymentsUnitOfWork(app.state.engine, card_processor=card_processor)


def capture_command(order_id: UUID | None = None, **overrides: Any) -> CapturePayment:
    values: dict[str, Any] = {
        "order_id": order_id or uuid4(),
        "customer_id": "customer-a",
        "amount_minor": 4_200,
        "currency": "EUR",
        "card_token": "tok_visa",
        **overrides,
    }
    return CapturePayment.model_validate(values)


@pytest.fixture(scope="session")
def capture_of() -> Callable[..., CapturePayment]:
    """``capture_of(order_id=None, **fields)``: a valid CapturePayment command."""
    return capture_command


def command_envelope(event: Event) -> Envelope:
    return envelope_of(event, source="bazaar.orders")


REGISTRY = EventRegistry(MESSAGING.handlers)


async def deliver_to(uow: PaymentsUnitOfWork, envelope: Envelope) -> bool:
    """Handle an envelope as the consumer does: inbox row and handler in one transaction.

    The event is parsed back out of the envelope, as it is off the queue.
    False when the inbox had it already (a redelivery).
    """
    event = REGISTRY.parse(envelope)
    async with uow:
        first = await record_once(
            uow.connection, messaging.inbox, consumer=CONSUMER, envelope=envelope
        )
        if first:
            with caused_by(envelope.id):
                await MESSAGING.handlers[type(event)](event, envelope, uow)
        await uow.commit()
    return first


@pytest.fixture(scope="session")
def deliver_with() -> Callable[[PaymentsUnitOfWork, Envelope], Awaitable[bool]]:
    """``await deliver_with(uow, envelope)``: as the consumer handles it, in that unit of work."""
    return deliver_to


@pytest.fixture
def deliver(new_uow: NewUow) -> Callable[[Event | Envelope], Awaitable[Envelope]]:
    """``await deliver(command_or_envelope)``: a new delivery in a new unit of work."""

    async def send(message: Event | Envelope) -> Envelope:
        envelope = message if isinstance(message, Envelope) else command_envelope(message)
        await deliver_to(new_uow(), envelope)
        return envelope

    return send


@pytest.fixture(scope="session")
def refund_of() -> Callable[[UUID], RefundPayment]:
    return lambda order_id: RefundPayment(order_id=order_id)


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

    async def payment(self, order_id: UUID) -> dict[str, Any] | None:
        found = await self.rows("SELECT * FROM payments WHERE order_id = :id", id=order_id)
        return found[0] if found else None

    async def outbox(self, order_id: UUID | None = None) -> list[dict[str, Any]]:
        """Outbox rows (type, subject, envelope) in the order they were written."""
        rows = await self.rows("SELECT type, subject, envelope FROM outbox ORDER BY created_at, id")
        return [row for row in rows if order_id is None or row["subject"] == str(order_id)]

    async def published_types(self, order_id: UUID) -> list[str]:
        return [row["type"] for row in await self.outbox(order_id)]


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)
