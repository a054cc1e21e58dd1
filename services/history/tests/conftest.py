"""Fixtures of the history tests: the service as the kit runs it, callers, stories, raw reads."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.ids import uuid7
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_common.testing.tokens import Caller
from bazaar_contracts.orders import OrderCancelled, OrderConfirmed, OrderLine, OrderPlaced
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentRefunded
from bazaar_contracts.shipping import ShipmentCreated
from bazaar_history.adapters.tables import metadata
from bazaar_history.main import MESSAGING, create_app
from bazaar_history.settings import HistorySettings

Story = list[tuple[Event, datetime]]
"""An order's events as its services publish them, each with its time, in the order they happen."""


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[HistorySettings]:
    """What the plugin's ``settings``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="history",
        create_app=create_app,
        settings_class=HistorySettings,
        metadata=metadata,
        messaging=MESSAGING,
    )


@pytest.fixture(scope="session")
def alice(token_issuer) -> Caller:
    return token_issuer.caller("alice", ["customers"])


@pytest.fixture(scope="session")
def bob(token_issuer) -> Caller:
    return token_issuer.caller("bob", ["customers"])


@pytest.fixture(scope="session")
def ada(token_issuer) -> Caller:
    return token_issuer.caller("ada", ["admins"])


class Stories:
    """Realistic orders, each as the events the saga and shipping publish for it.

    Every story's events are a second apart from ``at``, in the order they
    happen; ``PAYMENT_ID`` and ``SHIPMENT_ID`` are derived from the order.
    """

    LINES = (
        OrderLine(sku="MUG-1", quantity=2, unit_price_minor=500),
        OrderLine(sku="TEAPOT-2", quantity=1, unit_price_minor=2_500),
    )
    TOTAL = 3_500

    @staticmethod
    def payment_id(order_id: UUID) -> UUID:
        return UUID(int=order_id.int ^ 1)

    @staticmethod
    def shipment_id(order_id: UUID) -> UUID:
        return UUID(int=order_id.int ^ 2)

    @classmethod
    def placed(cls, order_id: UUID, customer: str) -> OrderPlaced:
        return OrderPlaced(
            order_id=order_id,
            customer_id=customer,
            lines=cls.LINES,
            total_minor=cls.TOTAL,
            currency="EUR",
        )

    @classmethod
    def captured(cls, order_id: UUID) -> PaymentCaptured:
        return PaymentCaptured(
            order_id=order_id,
            payment_id=cls.payment_id(order_id),
            amount_minor=cls.TOTAL,
            currency="EUR",
        )

    @staticmethod
    def cancelled(order_id: UUID, customer: str, reason: str) -> OrderCancelled:
        return OrderCancelled(order_id=order_id, customer_id=customer, reason=reason)

    @staticmethod
    def timed(at: datetime, *events: Event) -> Story:
        return [(event, at + timedelta(seconds=second)) for second, event in enumerate(events)]

    @classmethod
    def confirmed(cls, order_id: UUID, customer: str, at: datetime) -> Story:
        confirmation = OrderConfirmed(
            order_id=order_id, customer_id=customer, total_minor=cls.TOTAL, currency="EUR"
        )
        shipment = ShipmentCreated(
            order_id=order_id, shipment_id=cls.shipment_id(order_id), customer_id=customer
        )
        return cls.timed(
            at, cls.placed(order_id, customer), cls.captured(order_id), confirmation, shipment
        )

    @classmethod
    def declined(cls, order_id: UUID, customer: str, at: datetime) -> Story:
        return cls.timed(
            at,
            cls.placed(order_id, customer),
            PaymentDeclined(order_id=order_id, reason="card-declined"),
            cls.cancelled(order_id, customer, "payment-declined"),
        )

    @classmethod
    def out_of_stock(cls, order_id: UUID, customer: str, at: datetime) -> Story:
        return cls.timed(
            at, cls.placed(order_id, customer), cls.cancelled(order_id, customer, "out-of-stock")
        )

    @classmethod
    def refunded(cls, order_id: UUID, customer: str, at: datetime) -> Story:
        """Cancelled on the step timeout while capturing; the late capture is refunded."""
        refund = PaymentRefunded(
            order_id=order_id,
            payment_id=cls.payment_id(order_id),
            amount_minor=cls.TOTAL,
            currency="EUR",
        )
        return cls.timed(
            at,
            cls.placed(order_id, customer),
            cls.cancelled(order_id, customer, "step-timeout"),
            cls.captured(order_id),
            refund,
        )

    @classmethod
    def voided(cls, order_id: UUID, customer: str, at: datetime) -> Story:
        """Cancelled by its customer before the payment answered: the capture is voided."""
        return cls.timed(
            at,
            cls.placed(order_id, customer),
            cls.cancelled(order_id, customer, "customer-cancelled"),
            PaymentDeclined(order_id=order_id, reason="payment-voided"),
        )

    @staticmethod
    def envelope(event: Event, at: datetime) -> Envelope:
        """The envelope the event's publisher would write, at ``at``."""
        # Each contracts module is named after the service that publishes its types.
        publisher = type(event).__module__.rsplit(".", 1)[-1]
        return Envelope(
            id=uuid7(),
            type=event.event_type,
            source=f"bazaar.{publisher}",
            time=at,
            subject=event.subject,
            version=event.event_version,
            data=event.model_dump(mode="json"),
        )

    @classmethod
    def envelopes(cls, story: Story) -> list[Envelope]:
        return [cls.envelope(event, at) for event, at in story]


@pytest.fixture(scope="session")
def stories() -> type[Stories]:
    return Stories


@pytest.fixture
def tell(deliver, stories):
    """``await tell(story)``: every event of the story delivered, in order; the envelopes."""

    async def delivered(story: Story) -> list[Envelope]:
        sent = stories.envelopes(story)
        for envelope in sent:
            await deliver(envelope)
        return sent

    return delivered


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

    async def order_rows(self) -> list[dict[str, Any]]:
        return await self.rows("SELECT * FROM order_history ORDER BY order_id")


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)
