"""The shipping app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import shipping as published
from bazaar_shipping.adapters import tables
from bazaar_shipping.entrypoints import event_handlers, shipments_api
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork
from bazaar_shipping.settings import ShippingSettings

MIGRATIONS = "bazaar_shipping:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=ShippingUnitOfWork,
    published=published.PUBLISHED,
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: ShippingSettings | None = None) -> FastAPI:
    settings = settings or load_settings(ShippingSettings)
    return create_service_app(
        entry=load_own_entry("bazaar_shipping"),
        settings=settings,
        routers=[shipments_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
    )
