"""Fixtures of the inventory tests: the service as the kit runs it, and raw reads of its tables."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData, text

from bazaar_common.testing.app_client import truncate_tables
from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_common.testing.waiting import wait_until
from bazaar_inventory.adapters.tables import metadata
from bazaar_inventory.catalog_cache.runtime import catalog_cache_of
from bazaar_inventory.main import MESSAGING, create_app
from bazaar_inventory.settings import InventorySettings


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[InventorySettings]:
    """What the plugin's ``settings``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="inventory",
        create_app=create_app,
        settings_class=InventorySettings,
        metadata=metadata,
        messaging=MESSAGING,
        default_source="bazaar.orders",  # the saga's commands
    )


@pytest.fixture
async def app(
    app_and_client: tuple[FastAPI, httpx.AsyncClient], service_tables: MetaData
) -> FastAPI:
    """The plugin's ``app`` (the session's, tables emptied), its catalog cache emptied too.

    The TRUNCATE's NOTIFY empties the cache a moment later; waiting for it
    here keeps it from emptying the cache in the middle of the next test.
    """
    app, _ = app_and_client
    cache = catalog_cache_of(app)
    clears = cache.counts.clears
    await truncate_tables(app.state.engine, service_tables)
    if cache.serving:
        await wait_until(lambda: cache.counts.clears > clears, within=5)
    return app


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
