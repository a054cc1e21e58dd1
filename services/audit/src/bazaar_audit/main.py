"""The audit app, as uvicorn and the tests build it."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_audit.adapters import tables
from bazaar_audit.entrypoints import event_handlers, events_api, timeline_api
from bazaar_audit.entrypoints.background import archive_writer
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_audit.settings import AuditSettings
from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings

MIGRATIONS = "bazaar_audit:migrations"
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=AuditUnitOfWork,
    published=(),  # audit only listens
    handlers=event_handlers.HANDLERS,
)


def create_app(settings: AuditSettings | None = None) -> FastAPI:
    settings = settings or load_settings(AuditSettings)
    return create_service_app(
        entry=load_own_entry("bazaar_audit"),
        settings=settings,
        routers=[events_api.router, timeline_api.router],
        migrations=MIGRATIONS,
        messaging=MESSAGING,
        resources=[archive_writer],
    )
