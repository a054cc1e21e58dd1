"""What the orders app runs for its lifetime: the inventory client and the sweeper.

Each is an app resource (``create_service_app(resources=...)``): entered once
the engine is up, left in reverse order at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from bazaar_orders.adapters.inventory_client import InventoryClientConfig, inventory_client
from bazaar_orders.service_layer.sweeper import Sweeper
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork
from bazaar_orders.settings import OrdersSettings

logger = logging.getLogger("bazaar.orders")
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
    task = asyncio.create_task(sweeper.run(), name="orders-sweeper")
    try:
        yield
    finally:
        sweeper.stop()
        try:
            async with asyncio.timeout(SWEEPER_STOP_SECONDS):
                await task
        except TimeoutError:
            # A sweep stuck on the database: its transaction rolls back.
            logger.warning("sweeper did not stop in time; cancelled")
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
