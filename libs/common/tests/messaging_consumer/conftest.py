"""A fresh database with an inbox and an effects table, a bus on the moto server, consumers.

Test modules cannot import from here (importlib mode), so what they share
is offered as fixtures.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar
from uuid import uuid4

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bazaar_common.catalog import ServiceEntry
from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.consumer import QueueConsumer
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing import waiting
from bazaar_common.testing.catalog import service_entry
from bazaar_common.testing.eventbridge import sqs_body

CONSUMER = "worker"


class ParcelPacked(Event):
    event_type: ClassVar[str] = "ParcelPacked"
    subject_field: ClassVar[str] = "parcel_id"

    parcel_id: str
    items: int


class ParcelPackedV2(ParcelPacked):
    event_version: ClassVar[int] = 2

    box: str


class Effects:
    """The business effect a handler has: one row per handling."""

    def __init__(self, connection: AsyncConnection, table: Table) -> None:
        self._connection = connection
        self._table = table

    async def add(self, envelope: Envelope) -> None:
        await self._connection.execute(
            self._table.insert().values(event_id=envelope.id, subject=envelope.subject)
        )


class EffectsUnitOfWork(SqlUnitOfWork):
    effects: Effects

    def __init__(self, engine: AsyncEngine, table: Table) -> None:
        super().__init__(engine)
        self._table = table

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.effects = Effects(connection, self._table)


@dataclass
class Db:
    engine: AsyncEngine
    effects: Table
    inbox: Table

    def uow(self) -> EffectsUnitOfWork:
        return EffectsUnitOfWork(self.engine, self.effects)

    async def effect_count(self) -> int:
        async with self.engine.connect() as connection:
            return await connection.scalar(select(func.count()).select_from(self.effects)) or 0

    async def inbox_ids(self) -> list:
        async with self.engine.connect() as connection:
            return list(await connection.scalars(select(self.inbox.c.event_id)))


@dataclass
class Bus:
    name: str
    prefix: str
    queue_url: str
    dlq_url: str
    entries: list[ServiceEntry]


@pytest.fixture
async def db(fresh_database):
    metadata = MetaData()
    effects = Table(
        "effects",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False),  # not unique: a duplicate effect must show
        Column("subject", String(128), nullable=False),
    )
    tables = add_messaging_tables(metadata)
    database = await fresh_database(metadata, prefix="consumer", pool_size=12, max_overflow=0)
    return Db(database.engine, effects, tables.inbox)


@pytest.fixture
def make_bus(moto_aws):
    """Provisions a bus whose ``worker`` queue takes ParcelPacked; names unique to the call."""
    sqs = moto_aws.sqs

    async def make(*, max_receive_count=3, visibility_timeout_seconds=2):
        entries = [
            service_entry("packing", port=8201, publishes=["ParcelPacked"]),
            service_entry(
                CONSUMER,
                port=8202,
                consumes=["ParcelPacked"],
                max_receive_count=max_receive_count,
                visibility_timeout_seconds=visibility_timeout_seconds,
            ),
        ]
        prefix = f"t{uuid4().hex[:8]}"
        topology = build_topology(entries, prefix=prefix)
        queues = await provision(moto_aws.events, sqs, topology)
        spec = topology.queue_of(CONSUMER)
        assert spec is not None
        dlq_url = (await sqs.get_queue_url(QueueName=spec.dlq_name))["QueueUrl"]
        return Bus(topology.bus_name, prefix, queues[CONSUMER], dlq_url, entries)

    return make


@pytest.fixture
def envelope():
    """A ParcelPacked envelope (or another type/version, for poison)."""

    def make(*, type_="ParcelPacked", version=1, data=None, traceparent=None):
        parcel_id = str(uuid4())
        return Envelope(
            id=uuid7(),
            type=type_,
            source="bazaar.packing",
            time=datetime.now(UTC),
            subject=parcel_id,
            version=version,
            data={"parcel_id": parcel_id, "items": 2} if data is None else data,
            traceparent=traceparent,
        )

    return make


@pytest.fixture
def publish(moto_aws):
    """Puts envelopes on the bus with PutEvents, as the relay would."""
    events = moto_aws.events

    async def put(bus, *envelopes):
        for start in range(0, len(envelopes), 10):
            entries = [
                {
                    "Source": item.source,
                    "DetailType": item.type,
                    "Detail": item.model_dump_json(),
                    "EventBusName": bus.name,
                }
                for item in envelopes[start : start + 10]
            ]
            answer = await events.put_events(Entries=entries)
            assert answer["FailedEntryCount"] == 0

    return put


@pytest.fixture
def eventbridge_body():
    """The SQS body EventBridge writes for an envelope, for sending one directly."""
    return sqs_body


@pytest.fixture
def queue_depth(moto_aws):
    """(visible, in flight) messages of a queue."""
    sqs = moto_aws.sqs

    async def depth(queue_url):
        answer = await sqs.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )
        attributes = answer["Attributes"]
        return (
            int(attributes["ApproximateNumberOfMessages"]),
            int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        )

    return depth


@pytest.fixture
def wait_until():
    return waiting.wait_until


@pytest.fixture
def record_effect():
    """The plain handler: a use case that opens the unit of work again and joins it."""

    async def handle(event, envelope, uow):
        async with uow:
            await uow.effects.add(envelope)
            await uow.commit()

    return handle


@pytest.fixture
async def consumers(moto_aws, db):
    """Makes consumers on the test database and runs them; every one is stopped after."""

    class Consumers(waiting.BackgroundWorkers[QueueConsumer]):
        def make(self, bus, handlers, *, client=None, types=(ParcelPacked,), **options):
            options.setdefault("wait_seconds", 1)
            options.setdefault("visibility_timeout_seconds", 2)
            return QueueConsumer(
                client or moto_aws.sqs,
                bus.queue_url,
                handling=EventHandling(
                    consumer=CONSUMER,
                    uow_factory=db.uow,
                    inbox=db.inbox,
                    registry=EventRegistry(types),
                    handlers=handlers,
                ),
                **options,
            )

    consumers = Consumers()
    yield consumers
    if await consumers.stop_all(lambda consumer: consumer.stop(5), within=5):
        pytest.fail("a consumer did not stop within 5 s")


class SqsSpy:
    """Wraps the real SQS client: records receives, can fail the first receives or deletes."""

    def __init__(self, inner, *, failing_receives=0, failing_deletes=0):
        self.inner = inner
        self.failing_receives = failing_receives
        self.failing_deletes = failing_deletes
        self.receive_calls: list[tuple[float, int]] = []  # (loop time, MaxNumberOfMessages)

    async def receive_message(self, **options):
        now = asyncio.get_running_loop().time()
        self.receive_calls.append((now, options["MaxNumberOfMessages"]))
        if self.failing_receives:
            self.failing_receives -= 1
            raise ConnectionError("injected: endpoint unreachable")
        return await self.inner.receive_message(**options)

    async def delete_message(self, **options):
        if self.failing_deletes:
            self.failing_deletes -= 1
            raise ConnectionError("injected: the process died before deleting")
        return await self.inner.delete_message(**options)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def sqs_spy(moto_aws):
    def make(**options):
        return SqsSpy(moto_aws.sqs, **options)

    return make


@pytest.fixture
def event_types():
    """The test's event classes: (ParcelPacked, ParcelPackedV2)."""
    return ParcelPacked, ParcelPackedV2
