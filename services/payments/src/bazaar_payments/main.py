"""The payments app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import payments as published
from bazaar_payments.adapters import tables
from bazaar_payments.entrypoints import event_handlers, payments_api
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork
from bazaar_payments.settings import PaymentsSettings

MIGRATIONS = "bazaar_payments:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=PaymentsUnitOfWork,
    published=published.PUBLISHED,
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or load_settings(PaymentsSettings)
    return create_service_app(
        entry=load_own_entry("bazaar_payments"),
        settings=settings,
        routers=[payments_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
    )
