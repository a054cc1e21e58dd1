"""Fixtures of the inventory tests: the app on a real Postgres, clean per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

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
async def app_and_client(settings: InventorySettings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with running_app_client(app) as client:
        yield app, client


@pytest.fixture
async def app(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    app, _ = app_and_client
    await truncate_tables(app.state.engine, metadata)
    return app


@pytest.fixture
async def client(app: FastAPI, app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    return app_and_client[1]


@pytest.fixture
def new_uow(app: FastAPI) -> Callable[[], InventoryUnitOfWork]:
    return lambda: InventoryUnitOfWork(app.state.engine)
