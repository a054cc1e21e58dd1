"""The history app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_history.adapters import tables
from bazaar_history.entrypoints import event_handlers, history_api
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork
from bazaar_history.settings import HistorySettings

MIGRATIONS = "bazaar_history:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=HistoryUnitOfWork,
    published=(),  # a read model: it only listens
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: HistorySettings | None = None) -> FastAPI:
    settings = settings or load_settings(HistorySettings)
    return create_service_app(
        entry=load_own_entry("bazaar_history"),
        settings=settings,
        routers=[history_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
    )
