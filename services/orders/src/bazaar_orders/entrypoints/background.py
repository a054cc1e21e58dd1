"""What the orders app runs for its lifetime: the inventory client and the sweeper.

Each is an app resource (``create_service_app(resources=...)``): entered once
the engine is up, left in reverse order at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from bazaar_common.background import running_job
from bazaar_orders.adapters.inventory_client import InventoryClientConfig, inventory_client
from bazaar_orders.service_layer.sweeper import Sweeper
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork
from bazaar_orders.settings import OrdersSettings

SWEEPER_STOP_SECONDS = 5.0


@asynccontextmanager
async def prices_from_inventory(app: FastAPI) -> AsyncIterator[None]:
    settings: OrdersSettings = app.state.settings
    config = InventoryClientConfig(
        base_url=settings.inventory_url,
        connect_timeout_seconds=settings.inventory_connect_timeout_seconds,
        read_timeout_seconds=settings.inventory_read_timeout_seconds,
        retries=settings.inventory_retries,
        retry_base_seconds=settings.inventory_retry_base_seconds,
    )
    async with inventory_client(config) as client:
        app.state.prices = client
        yield


@asynccontextmanager
async def saga_sweeper(app: FastAPI) -> AsyncIterator[None]:
    settings: OrdersSettings = app.state.settings
    engine = app.state.engine
    sweeper = Sweeper(
        lambda: OrdersUnitOfWork(engine),
        step_timeout=timedelta(seconds=settings.saga_step_timeout_seconds),
        interval_seconds=settings.saga_sweep_interval_seconds,
    )
    app.state.sweeper = sweeper
    async with running_job(sweeper, name="orders-sweeper", stop_within=SWEEPER_STOP_SECONDS):
        yield
