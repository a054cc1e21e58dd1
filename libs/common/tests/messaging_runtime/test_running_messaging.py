"""The lifespan half of messaging: one service's relay and consumer together."""

from __future__ import annotations

import time
from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Column, MetaData, Table, Uuid, func, select

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.messaging.runtime import ServiceMessaging, running_messaging
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.topology import build_topology
from bazaar_common.settings import Environment, ServiceSettings
from bazaar_common.testing.catalog import service_entry
from bazaar_common.testing.moto import REGION
from bazaar_common.testing.waiting import wait_until

metadata = MetaData()
tables = add_messaging_tables(metadata)
echoes = Table("echoes", metadata, Column("ping_id", Uuid, primary_key=True))


class Pinged(Event):
    event_type: ClassVar[str] = "Pinged"
    subject_field: ClassVar[str] = "ping_id"
    ping_id: UUID


class Ponged(Event):
    event_type: ClassVar[str] = "Ponged"
    subject_field: ClassVar[str] = "ping_id"
    ping_id: UUID


class EchoUnitOfWork(SqlUnitOfWork):
    def bind_repositories(self, connection):
        self.outbox = Outbox(connection, tables.outbox, source="bazaar.echo")


async def echo(event: Pinged, envelope, uow: EchoUnitOfWork) -> None:
    """Records the ping and answers with a pong: a handler that also publishes."""
    await uow.connection.execute(echoes.insert().values(ping_id=event.ping_id))
    await uow.outbox.add(Ponged(ping_id=event.ping_id))


MESSAGING = ServiceMessaging(
    tables=tables,
    unit_of_work=EchoUnitOfWork,
    published=(Pinged, Ponged),
    handlers={Pinged: echo},
)
ENTRY = service_entry("echo", publishes=["Pinged", "Ponged"], consumes=["Pinged"])


@pytest.fixture
async def echo_service(fresh_database, moto_server):
    database = await fresh_database(metadata, prefix="messaging_runtime")
    prefix = f"t{uuid4().hex[:8]}"
    topology = build_topology([ENTRY], prefix=prefix)
    await bootstrap(topology, endpoint_url=moto_server.url, region=REGION)
    settings = ServiceSettings(
        environment=Environment.TEST,
        database_url=database.url,
        auth_issuer="http://127.0.0.1:9",
        auth_client_ids=["c"],
        aws_endpoint_url=moto_server.url,
        resource_prefix=prefix,
        consumer_wait_seconds=1,
        relay_poll_interval_seconds=30.0,
        stop_timeout_seconds=5.0,
    )
    return database.engine, settings


async def count(engine, table, *conditions) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).select_from(table).where(*conditions)
        return await connection.scalar(query)


async def test_an_event_reaches_its_consumer_and_the_reply_is_relayed(echo_service):
    engine, settings = echo_service
    unpublished = tables.outbox.c.published_at.is_(None)
    async with running_messaging(ENTRY, settings, engine, MESSAGING):
        async with EchoUnitOfWork(engine) as uow:
            await uow.outbox.add(Pinged(ping_id=uuid4()))
            await uow.commit()
        await wait_until(lambda: _at_least(engine, echoes, 1))
        await wait_until(lambda: _none(engine, tables.outbox, unpublished))
        started = time.monotonic()
    assert time.monotonic() - started < settings.stop_timeout_seconds + 1
    assert await count(engine, tables.inbox) == 1
    assert await count(engine, tables.outbox) == 2  # the ping and the handler's pong


async def test_a_point_to_point_type_reaches_its_consumer_through_the_relay_alone(
    echo_service, moto_server
):
    """Pinged has no rule to bring it (but a replay): it arrives only because the relay sends it."""
    engine, settings = echo_service
    entry = service_entry(
        "echo",
        publishes=["Pinged", "Ponged"],
        consumes=["Pinged"],
        consumes_point_to_point=["Pinged"],
    )
    topology = build_topology([entry], prefix=f"t{uuid4().hex[:8]}")
    await bootstrap(topology, endpoint_url=moto_server.url, region=REGION)
    direct = settings.model_copy(
        update={
            "resource_prefix": topology.bus_name,
            "point_to_point_receivers": dict(topology.point_to_point),
        }
    )
    async with running_messaging(entry, direct, engine, MESSAGING):
        async with EchoUnitOfWork(engine) as uow:
            await uow.outbox.add(Pinged(ping_id=uuid4()))
            await uow.commit()
        await wait_until(lambda: _at_least(engine, echoes, 1))
    assert await count(engine, tables.inbox) == 1


async def _at_least(engine, table, wanted: int) -> bool:
    return await count(engine, table) >= wanted


async def _none(engine, table, condition) -> bool:
    return await count(engine, table, condition) == 0


async def test_handlers_that_disagree_with_the_catalog_refuse_to_start(echo_service):
    engine, settings = echo_service
    silent = ServiceMessaging(tables=tables, unit_of_work=EchoUnitOfWork, published=(Pinged,))
    with pytest.raises(RuntimeError, match="catalog"):
        async with running_messaging(ENTRY, settings, engine, silent):
            pass


async def test_local_settings_without_an_endpoint_never_reach_for_aws(echo_service, caplog):
    engine, settings = echo_service
    offline = settings.model_copy(update={"aws_endpoint_url": None})
    async with running_messaging(ENTRY, offline, engine, MESSAGING):
        pass
    assert "relay and consumer stay off" in caplog.text
