"""A fresh database with an outbox, a bus with queues on the moto server, and relays.

Test modules cannot import from here (importlib mode), so the helpers they
share are fixtures too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import uuid4

import pytest
from sqlalchemy import Column, MetaData, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.publisher import EventBridgePublisher
from bazaar_common.messaging.relay import OutboxRelay
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing import waiting
from bazaar_common.testing.catalog import service_entry


class NoteAdded(Event):
    event_type = "NoteAdded"
    subject_field = "note_id"
    note_id: str
    text: str


class NoteArchived(Event):
    event_type = "NoteArchived"
    subject_field = "note_id"
    note_id: str
    text: str


@dataclass
class Db:
    engine: AsyncEngine
    notes: Table
    outbox: Table
    listen_dsn: str


@dataclass
class Bus:
    name: str
    queues: dict[str, str]  # service -> queue URL


@pytest.fixture
async def db(fresh_database):
    metadata = MetaData()
    notes = Table(
        "notes", metadata, Column("id", String(64), primary_key=True), Column("text", Text)
    )
    tables = add_messaging_tables(metadata)
    database = await fresh_database(metadata, prefix="messaging", pool_size=10, max_overflow=0)
    return Db(database.engine, notes, tables.outbox, database.dsn)


@pytest.fixture
async def bus(moto_aws):
    """Two queues take NoteAdded, a third only NoteArchived; names unique to the test."""
    topology = build_topology(
        [
            service_entry("notes", port=8101, publishes=["NoteAdded", "NoteArchived"]),
            service_entry("alpha", port=8102, consumes=["NoteAdded"]),
            service_entry("beta", port=8103, consumes=["NoteAdded"]),
            service_entry("gamma", port=8104, consumes=["NoteArchived"]),
        ],
        prefix=f"t{uuid4().hex[:8]}",
    )
    queues = await provision(moto_aws.events, moto_aws.sqs, topology)
    return Bus(topology.bus_name, queues)


@pytest.fixture
def publisher(moto_aws, bus):
    return EventBridgePublisher(moto_aws.events, bus_name=bus.name)


@pytest.fixture
def write_notes(db):
    """Writes notes and their events in one transaction; returns the envelopes."""

    async def write(count=1, *, commit=True, archived=False):
        event = NoteArchived if archived else NoteAdded
        envelopes = []
        async with db.engine.connect() as connection:
            await connection.begin()
            outbox = Outbox(connection, db.outbox, source="bazaar.notes")
            for number in range(count):
                note_id = str(uuid4())
                text = f"note {number}"
                await connection.execute(db.notes.insert().values(id=note_id, text=text))
                envelopes.append(await outbox.add(event(note_id=note_id, text=text)))
            if commit:
                await connection.commit()
            else:
                await connection.rollback()
        return envelopes

    return write


@pytest.fixture
def outbox_rows(db):
    """Every outbox row as a dict, oldest first."""

    async def rows():
        outbox = db.outbox
        query = select(outbox).order_by(outbox.c.created_at, outbox.c.id)
        async with db.engine.connect() as connection:
            return [dict(row._mapping) for row in await connection.execute(query)]

    return rows


@pytest.fixture
def receive_all(moto_aws):
    """Every message waiting in a queue, as parsed bodies; the queue is left empty."""
    sqs = moto_aws.sqs

    async def receive(queue_url):
        bodies: list[dict] = []
        while True:
            answer = await sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            )
            messages = answer.get("Messages", [])
            if not messages:
                return bodies
            bodies.extend(json.loads(message["Body"]) for message in messages)
            await sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(messages)
                ],
            )

    return receive


@pytest.fixture
def wait_until():
    return waiting.wait_until


@pytest.fixture
async def relays(db):
    """Makes relays on the test database and runs them; every one is stopped after."""

    class Relays(waiting.BackgroundWorkers[OutboxRelay]):
        def make(self, publisher, **options):
            options.setdefault("listen_dsn", db.listen_dsn)
            options.setdefault("poll_interval_seconds", 30.0)
            return OutboxRelay(db.engine, db.outbox, publisher, **options)

    relays = Relays()
    yield relays
    if await relays.stop_all(lambda relay: relay.stop(), within=5):
        pytest.fail("a relay did not stop within 5 s")
