"""Fixtures of the audit tests: the app on a real Postgres, clean per test, and envelopes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_audit.adapters.tables import metadata
from bazaar_audit.main import create_app
from bazaar_audit.service_layer.recording import record_event
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_audit.settings import AuditSettings
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.ids import uuid7
from bazaar_common.settings import Environment
from bazaar_common.testing.app_client import running_app_client, truncate_tables
from bazaar_common.testing.tokens import JwksServer
from bazaar_contracts import ALL_EVENTS

EVENT_CLASSES = {event_class.event_type: event_class for event_class in ALL_EVENTS}
LINES = [{"sku": "MUG-1", "quantity": 2}]
# Valid data for every event type but its order_id, so a test can make any of them.
SAMPLE_DATA: dict[str, dict[str, Any]] = {
    "OrderPlaced": {
        "customer_id": "customer-1",
        "lines": [{"sku": "MUG-1", "quantity": 2, "unit_price_minor": 500}],
        "total_minor": 1000,
        "currency": "EUR",
    },
    "ReserveStock": {"lines": LINES},
    "StockReserved": {"lines": LINES},
    "StockRejected": {
        "reason": "insufficient-stock",
        "shortages": [{"sku": "MUG-1", "requested": 2, "available": 1}],
    },
    "CapturePayment": {
        "customer_id": "customer-1",
        "amount_minor": 1000,
        "currency": "EUR",
        "card_token": "tok_visa",
    },
    "PaymentCaptured": {
        "payment_id": "0193a0c4-0000-7000-8000-000000000001",
        "amount_minor": 1000,
        "currency": "EUR",
    },
    "PaymentDeclined": {"reason": "card-declined"},
    "CommitStock": {},
    "StockCommitted": {},
    "OrderConfirmed": {"customer_id": "customer-1", "total_minor": 1000, "currency": "EUR"},
    "ReleaseStock": {},
    "StockReleased": {"lines": LINES},
    "RefundPayment": {},
    "PaymentRefunded": {
        "payment_id": "0193a0c4-0000-7000-8000-000000000001",
        "amount_minor": 1000,
        "currency": "EUR",
    },
    "OrderCancelled": {"customer_id": "customer-1", "reason": "out-of-stock"},
}
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def sample_event(event_type: str, order_id: UUID) -> Event:
    event_class = EVENT_CLASSES[event_type]
    return event_class.model_validate({"order_id": str(order_id), **SAMPLE_DATA[event_type]})


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
async def database_url(create_test_database: Callable[[str], Awaitable[str]]) -> str:
    return await create_test_database("audit_test")


def make_settings(database_url: str, jwks: JwksServer, **overrides: object) -> AuditSettings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "auth_issuer": jwks.issuer_url,
        "auth_client_ids": [jwks.issuer.client_id],
        "access_log": False,
        "log_level": "WARNING",
        **overrides,
    }
    return AuditSettings.model_validate(values)


@pytest.fixture(scope="session")
def settings(database_url: str, jwks_server: JwksServer) -> AuditSettings:
    return make_settings(database_url, jwks_server)


@pytest.fixture(scope="session")
async def app_and_client(
    settings: AuditSettings,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with running_app_client(app) as client:
        yield app, client


@pytest.fixture
async def app(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    app, _ = app_and_client
    await truncate_tables(app.state.engine, metadata)  # TRUNCATE: the trigger allows it
    return app


@pytest.fixture
async def client(
    app: FastAPI, app_and_client: tuple[FastAPI, httpx.AsyncClient]
) -> httpx.AsyncClient:
    return app_and_client[1]


@pytest.fixture
def new_uow(app: FastAPI) -> Callable[[], AuditUnitOfWork]:
    return lambda: AuditUnitOfWork(app.state.engine)


@pytest.fixture
def store(new_uow: Callable[[], AuditUnitOfWork]) -> Callable[..., Awaitable[None]]:
    """``await store(*envelopes)``: each recorded as the consumer's handler would."""

    async def record(*envelopes: Envelope) -> None:
        for envelope in envelopes:
            await record_event(new_uow(), envelope)

    return record


def _expect_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """Check an RFC 9457 problem response and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://bazaar.dev/problems/")
    if code is not None:
        assert body["type"] == f"https://bazaar.dev/problems/{code}"
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    for leak in ("Traceback", 'File "', "sqlalchemy", "asyncpg", "psycopg"):
        assert leak not in response.text
    return body


@pytest.fixture(scope="session")
def expect_problem() -> Callable[..., dict[str, Any]]:
    """``expect_problem(response, status, code=None)``: the checked problem body."""
    return _expect_problem


class Database:
    """Raw reads of the service's tables, to check what really got written."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def scalar(self, sql: str, **params: object) -> Any:
        async with self.engine.connect() as connection:
            return await connection.scalar(text(sql), params)

    async def count(self, table: str) -> int:
        assert table in {table.name for table in metadata.sorted_tables}
        return int(await self.scalar(f'SELECT count(*) FROM "{table}"'))  # noqa: S608

    async def event_rows(self) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            result = await connection.execute(
                text("SELECT * FROM events ORDER BY occurred_at, event_id")
            )
            return [dict(row) for row in result.mappings()]


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine)
