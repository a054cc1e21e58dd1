"""Fixtures of the inventory tests: the app on a real Postgres, clean per test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData, text

from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.settings import make_test_settings
from bazaar_common.testing.tokens import JwksServer
from bazaar_inventory.adapters.tables import metadata
from bazaar_inventory.main import create_app
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork
from bazaar_inventory.settings import InventorySettings


@pytest.fixture(scope="session")
async def database_url(create_test_database: Callable[[str], Awaitable[str]]) -> str:
    return await create_test_database("inventory_test")


@pytest.fixture(scope="session")
def settings(database_url: str, jwks_server: JwksServer) -> InventorySettings:
    return make_test_settings(InventorySettings, database_url, jwks_server)


@pytest.fixture(scope="session")
def service_app(settings: InventorySettings) -> FastAPI:
    """The app the plugin's ``app_and_client``, ``app`` and ``client`` run."""
    return create_app(settings)


@pytest.fixture(scope="session")
def service_tables() -> MetaData:
    return metadata


@pytest.fixture
def new_uow(app: FastAPI) -> Callable[[], InventoryUnitOfWork]:
    return lambda: InventoryUnitOfWork(app.state.engine)


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

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
    return Database(app.state.engine, metadata)
