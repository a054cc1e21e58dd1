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

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import Deliver, ServiceUnderTest
from bazaar_contracts.orders import CapturePayment, RefundPayment
from bazaar_payments.adapters.tables import metadata
from bazaar_payments.domain.model import APPROVED, CardDecision, Charge
from bazaar_payments.main import MESSAGING, create_app
from bazaar_payments.service_layer.card_processor import CardProcessor, ProcessorUnavailable
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork
from bazaar_payments.settings import PaymentsSettings


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[PaymentsSettings]:
    """What the plugin's ``settings``, ``app`` and ``deliver`` are made of.

    The app runs the simulated card processor; ``new_uow`` (below) gives the
    test's units of work, and so ``deliver``'s, the fake one.
    """
    return ServiceUnderTest(
        name="payments",
        create_app=create_app,
        settings_class=PaymentsSettings,
        metadata=metadata,
        messaging=MESSAGING,
        default_source="bazaar.orders",  # the saga's commands
    )


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


@pytest.fixture
def deliver_with(deliver: Deliver) -> Callable[[PaymentsUnitOfWork, Envelope], Awaitable[bool]]:
    """``await deliver_with(uow, envelope)``: as the consumer handles it, in that unit of work.

    True if it was handled now, False if the inbox had it (a redelivery).
    """
    return lambda uow, envelope: deliver.handled(envelope, uow_factory=lambda: uow)


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
