"""Fixtures of the audit tests: the service as the kit runs it, envelopes, raw reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from bazaar_audit.adapters.tables import metadata
from bazaar_audit.main import MESSAGING, create_app
from bazaar_audit.service_layer.recording import record_event
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_audit.settings import AuditSettings
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.ids import uuid7
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_contracts import ALL_EVENTS

EVENT_CLASSES = {event_class.event_type: event_class for event_class in ALL_EVENTS}
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def sample_event(event_type: str, order_id: UUID) -> Event:
    return EVENT_CLASSES[event_type].example(order_id)


def make_envelope(
    event_type: str,
    order_id: UUID | None = None,
    *,
    at: float | datetime = 0.0,
    cause: Envelope | None = None,
    event_id: UUID | None = None,
    traceparent: str | None = None,
) -> Envelope:
    """An envelope as its publisher writes it; ``at`` is seconds after ``T0`` or a time."""
    event = sample_event(event_type, order_id or uuid4())
    module = type(event).__module__.rsplit(".", 1)[-1]  # bazaar_contracts.orders -> orders
    return Envelope(
        id=event_id or uuid7(),
        type=event.event_type,
        source=f"bazaar.{module}",
        time=at if isinstance(at, datetime) else T0 + timedelta(seconds=at),
        subject=event.subject,
        version=event.event_version,
        data=event.model_dump(mode="json"),
        traceparent=traceparent,
        causation_id=cause.id if cause is not None else None,
    )


class Envelopes:
    """``envelopes("StockReserved", order_id, at=1.5, cause=reserve)``, and the times used."""

    types = tuple(EVENT_CLASSES)
    __call__ = staticmethod(make_envelope)
    event = staticmethod(sample_event)

    @staticmethod
    def time(seconds: float) -> datetime:
        return T0 + timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def envelopes() -> Envelopes:
    return Envelopes()


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[AuditSettings]:
    """What the plugin's ``settings``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="audit",
        create_app=create_app,
        settings_class=AuditSettings,
        # Emptied with TRUNCATE between tests: the append-only trigger allows it.
        metadata=metadata,
        messaging=MESSAGING,
    )


@pytest.fixture
def store(new_uow: Callable[[], AuditUnitOfWork]) -> Callable[..., Awaitable[None]]:
    """``await store(*envelopes)``: each recorded as the consumer's handler would."""

    async def record(*envelopes: Envelope) -> None:
        for envelope in envelopes:
            await record_event(new_uow(), envelope)

    return record


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

    async def event_rows(self) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            result = await connection.execute(
                text("SELECT * FROM events ORDER BY occurred_at, event_id")
            )
            return [dict(row) for row in result.mappings()]


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)
