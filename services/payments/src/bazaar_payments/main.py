"""The payments app, as uvicorn and the tests build it."""

from __future__ import annotations

import dataclasses

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.app import create_service_app
from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import load_settings
from bazaar_contracts import payments
from bazaar_payments.adapters import tables
from bazaar_payments.adapters.simulated_processor import ProcessorRules, SimulatedCardProcessor
from bazaar_payments.entrypoints import payments_api
from bazaar_payments.entrypoints.saga_handlers import HANDLERS
from bazaar_payments.service_layer.card_processor import CardProcessor
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork
from bazaar_payments.settings import PaymentsSettings

MIGRATIONS = "bazaar_payments:migrations"
# What payments consumes and publishes. As declared, its units of work have
# no card processor (a capture would wait); create_app gives them one.
MESSAGING = ServiceMessaging(
    tables=tables.messaging,
    unit_of_work=PaymentsUnitOfWork,
    published=payments.PUBLISHED,
    handlers=HANDLERS,
)


def messaging_with(card_processor: CardProcessor) -> ServiceMessaging:
    def unit_of_work(engine: AsyncEngine) -> PaymentsUnitOfWork:
        return PaymentsUnitOfWork(engine, card_processor=card_processor)

    return dataclasses.replace(MESSAGING, unit_of_work=unit_of_work)


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or load_settings(PaymentsSettings)
    card_processor = SimulatedCardProcessor(ProcessorRules.of(settings))
    return create_service_app(
        entry=load_own_entry("bazaar_payments"),
        settings=settings,
        routers=[payments_api.router],
        migrations=MIGRATIONS,
        messaging=messaging_with(card_processor),
    )
