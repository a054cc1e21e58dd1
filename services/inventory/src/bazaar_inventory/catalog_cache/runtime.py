"""The catalog cache for the app's lifetime: made at start, listening, gone at stop.

A process that cannot LISTEN cannot hear other processes' writes, so its
cache steps aside (every read loads) from the moment the connection is lost
until it LISTENs again, and starts empty then: notifications sent meanwhile
went to no one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bazaar_common.app import AppResource
from bazaar_common.db.dsn import asyncpg_dsn
from bazaar_common.db.listener import ChannelListener
from bazaar_inventory.catalog_cache.store import CatalogStore
from bazaar_inventory.service_layer import catalog_changes
from bazaar_inventory.settings import InventorySettings

logger = logging.getLogger("bazaar.inventory.catalog_cache")

LISTENER_NAME = "inventory-catalog-cache"
"""The listener's application_name, as pg_stat_activity shows it."""


def catalog_cache_of(app: FastAPI) -> CatalogStore:
    store: CatalogStore = app.state.catalog_cache
    return store


def running_catalog_cache(settings: InventorySettings) -> AppResource:
    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        store = CatalogStore(
            max_entries=settings.catalog_cache_entries,
            max_bytes=settings.catalog_cache_megabytes * 1024 * 1024,
            ttl_seconds=settings.catalog_cache_seconds,
            clock=time.monotonic,
        )
        app.state.catalog_cache = store
        if not store.enabled:
            yield
            return
        lost = asyncio.Event()

        def on_lost() -> None:
            logger.warning("catalog cache lost its LISTEN connection; bypassed until back")
            store.clear()
            lost.set()

        def on_refused(error: Exception, first: bool) -> None:
            logger.log(
                logging.WARNING if first else logging.DEBUG,
                "catalog cache cannot LISTEN; bypassed",
                extra={"error": f"{type(error).__name__}: {error}"},
            )

        listener = ChannelListener(
            asyncpg_dsn(settings),
            catalog_changes.CHANNEL,
            on_notify=store.heard,
            on_lost=on_lost,
            on_refused=on_refused,
            retry_seconds=settings.catalog_cache_listen_retry_seconds,
            clock=time.monotonic,
            application_name=LISTENER_NAME,
        )
        store.serve_only_when(lambda: listener.listening)
        app.state.catalog_cache_listener = listener
        unsubscribe = catalog_changes.subscribe(
            app.state.engine, lambda skus: store.invalidate(skus, local=True)
        )
        keeper = asyncio.create_task(
            _keep_listening(listener, store, lost, settings.catalog_cache_listen_retry_seconds)
        )
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            unsubscribe()
            await listener.close()

    return run


async def _keep_listening(
    listener: ChannelListener, store: CatalogStore, lost: asyncio.Event, retry_seconds: float
) -> None:
    while True:
        lost.clear()
        if await listener.ensure_listening():
            store.clear()  # what changed while nobody listened was not heard
        if listener.listening:
            await lost.wait()
            # A connection that just dropped may be dropped again (a failover,
            # a restarting server): bypassing for a while is cheaper than
            # reconnecting in a tight loop.
            await asyncio.sleep(retry_seconds)
        else:
            await asyncio.sleep(max(listener.seconds_to_next_attempt, 0.05))
