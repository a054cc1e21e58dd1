"""Fixtures of the inventory tests: the app on a real Postgres, clean per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.settings import Environment
from bazaar_common.testing.app_client import running_app_client, truncate_tables
from bazaar_common.testing.tokens import JwksServer
from bazaar_inventory.adapters.tables import metadata
from bazaar_inventory.main import create_app
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork
from bazaar_inventory.settings import InventorySettings


@pytest.fixture(scope="session")
async def database_url(create_test_database: Callable[[str], Awaitable[str]]) -> str:
    return await create_test_database("inventory_test")


def make_settings(database_url: str, jwks: JwksServer, **overrides: object) -> InventorySettings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "auth_issuer": jwks.issuer_url,
        "auth_client_ids": [jwks.issuer.client_id],
        "access_log": False,
        "log_level": "WARNING",
        **overrides,
    }
    return InventorySettings.model_validate(values)


@pytest.fixture(scope="session")
def settings(database_url: str, jwks_server: JwksServer) -> InventorySettings:
    return make_settings(database_url, jwks_server)


@pytest.fixture(scope="session")
async def app_and_client(
    settings: InventorySettings,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with running_app_client(app) as client:
        yield app, client


@pytest.fixture
async def app(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    app, _ = app_and_client
    await truncate_tables(app.state.engine, metadata)
    return app


@pytest.fixture
async def client(
    app: FastAPI, app_and_client: tuple[FastAPI, httpx.AsyncClient]
) -> httpx.AsyncClient:
    return app_and_client[1]


@pytest.fixture
def new_uow(app: FastAPI) -> Callable[[], InventoryUnitOfWork]:
    return lambda: InventoryUnitOfWork(app.state.engine)


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

    async def stock_row(self, sku: str) -> dict[str, int] | None:
        async with self.engine.connect() as connection:
            row = (
                (
                    await connection.execute(
                        text(
                            "SELECT available, reserved, sold, received FROM stock WHERE sku = :sku"
                        ),
                        {"sku": sku},
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else dict(row)

    async def outbox_rows(self) -> list[dict[str, Any]]:
        """Every event written, oldest first: type, subject and envelope."""
        async with self.engine.connect() as connection:
            result = await connection.exec_driver_sql(
                "SELECT type, subject, envelope FROM outbox ORDER BY created_at, id"
            )
            return [dict(row._mapping) for row in result]

    async def reserved_in_lines(self, sku: str, status: str = "reserved") -> int:
        """Units of ``sku`` held by reservations in ``status``, from their lines."""
        return int(
            await self.scalar(
                "SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l "
                "JOIN reservations r USING (order_id) WHERE l.sku = :sku AND r.status = :status",
                sku=sku,
                status=status,
            )
        )


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine)
