"""The orders app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import orders as published
from bazaar_orders import crash_points
from bazaar_orders.adapters import tables
from bazaar_orders.entrypoints import background, event_handlers, orders_api
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork
from bazaar_orders.settings import OrdersSettings

MIGRATIONS = "bazaar_orders:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=OrdersUnitOfWork,
    published=published.PUBLISHED,
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: OrdersSettings | None = None) -> FastAPI:
    settings = settings or load_settings(OrdersSettings)
    # A test hook, armed here from settings so no route or handler holds it.
    crash_points.arm(settings.crash_point)
    return create_service_app(
        entry=load_own_entry("bazaar_orders"),
        settings=settings,
        routers=[orders_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
        resources=[background.prices_from_inventory, background.saga_sweeper],
    )
