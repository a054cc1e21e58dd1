"""The inventory app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.idempotency.purge import purging_expired_keys
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import inventory as published
from bazaar_inventory.adapters import tables
from bazaar_inventory.catalog_cache.runtime import running_catalog_cache
from bazaar_inventory.entrypoints import event_handlers, products_api, reservations_api
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork
from bazaar_inventory.settings import InventorySettings

MIGRATIONS = "bazaar_inventory:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=InventoryUnitOfWork,
    published=published.PUBLISHED,
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: InventorySettings | None = None) -> FastAPI:
    settings = settings or load_settings(InventorySettings)
    return create_service_app(
        entry=load_own_entry("bazaar_inventory"),
        settings=settings,
        routers=[products_api.router, reservations_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
        resources=[
            running_catalog_cache(settings),
            purging_expired_keys(
                lambda app: InventoryUnitOfWork.factory(app.state.engine, settings)
            ),
        ],
    )
