"""The inventory app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import inventory as inventory_events
from bazaar_contracts.orders import CommitStock, ReleaseStock, ReserveStock
from bazaar_inventory.adapters import tables
from bazaar_inventory.entrypoints import products_api, reservations_api, saga_handlers
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork
from bazaar_inventory.settings import InventorySettings

MIGRATIONS = "bazaar_inventory:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=InventoryUnitOfWork,
    published=inventory_events.PUBLISHED,
    handlers={
        ReserveStock: saga_handlers.reserve_stock,
        ReleaseStock: saga_handlers.release_stock,
        CommitStock: saga_handlers.commit_stock,
    },
)


def create_app(settings: InventorySettings | None = None) -> FastAPI:
    return create_service_app(
        entry=load_own_entry("bazaar_inventory"),
        settings=settings or load_settings(InventorySettings),
        routers=[products_api.router, reservations_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
    )
