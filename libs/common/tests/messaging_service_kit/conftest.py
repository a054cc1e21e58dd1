"""A small service of parcels, declared to the kit as a real service's conftest declares one.

Its handler records what it saw (and under which cause) and fails on
purpose for a parcel named ``broken``, after writing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import ClassVar

import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.causation import current_cause
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.database import engine_with_tables
from bazaar_common.testing.service_kit import ServiceUnderTest

metadata = MetaData()
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),  # not unique: a duplicate effect must show
    Column("parcel_id", String(64), nullable=False),
    Column("cause", Uuid),
)
tables = add_messaging_tables(metadata)


class ParcelPacked(Event):
    event_type: ClassVar[str] = "ParcelPacked"
    subject_field: ClassVar[str] = "parcel_id"

    parcel_id: str
    items: int


class ParcelLost(Event):
    """Has a schema nowhere in the service: delivering it is poison."""

    event_type: ClassVar[str] = "ParcelLost"
    subject_field: ClassVar[str] = "parcel_id"

    parcel_id: str


class ParcelsUnitOfWork(SqlUnitOfWork):
    connection_of_effects: AsyncConnection

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.connection_of_effects = connection


async def record_packing(event: ParcelPacked, envelope: Envelope, uow: ParcelsUnitOfWork) -> None:
    async with uow:
        await uow.connection_of_effects.execute(
            effects.insert().values(
                event_id=envelope.id, parcel_id=event.parcel_id, cause=current_cause()
            )
        )
        if event.parcel_id == "broken":
            raise RuntimeError("the handler fails after writing")
        await uow.commit()


MESSAGING = ServiceMessaging(
    tables=tables,
    unit_of_work=ParcelsUnitOfWork,
    handlers={ParcelPacked: record_packing},
)


def create_app(settings: ServiceSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = await engine_with_tables(str(settings.database_url), metadata)
        yield
        await app.state.engine.dispose()

    return FastAPI(lifespan=lifespan)


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[ServiceSettings]:
    return ServiceUnderTest(
        name="parcels",
        create_app=create_app,
        settings_class=ServiceSettings,
        metadata=metadata,
        messaging=MESSAGING,
        default_source="bazaar.packing",
    )


@pytest.fixture
def packed():
    """``packed(parcel_id="p-1")``: a ParcelPacked event."""
    return lambda parcel_id="p-1": ParcelPacked(parcel_id=parcel_id, items=2)


@pytest.fixture
def lost():
    return ParcelLost(parcel_id="p-9")
