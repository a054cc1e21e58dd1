"""The event hop: an outbox row's commit to the consumer's handler, on moto.

In one process: the real ``OutboxRelay`` woken by LISTEN/NOTIFY (with a 30 s
fallback poll, so only a NOTIFY can wake it quickly), publishing through the
publisher a service's relay gets (``relay_publisher``), and the real
``QueueConsumer`` long-polling the receiver's queue. As in the system, an
audit-like second subscriber takes every event off the bus. One event is
committed every ``interval`` seconds, each in its own transaction; each
latency runs from that commit returning to the handler starting.

Two routes (ADR 0017): ``bus``, the receiver's rule takes the event off the
bus (events such as ``OrderConfirmed``); ``point-to-point``, the relay sends
it straight to the receiver's queue as well as to the bus (the saga's
commands and replies).

Each hop is split where the relay calls its publisher: before it, the
relay's own work (woken by the NOTIFY, claiming the row); from it to the
handler, the delivery (moto putting the message on the queue, the long poll
returning it, the consumer handing it over), which AWS replaces with its own
(bazaar_bench.projection).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar
from uuid import UUID, uuid4

from aiobotocore.session import get_session
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.consumer import QueueConsumer
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.publisher import EventPublisher
from bazaar_common.messaging.relay import OutboxRelay
from bazaar_common.messaging.relay_publisher import relay_publisher
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.catalog import service_entry

ROUTES = ("bus", "point-to-point")


class Pinged(Event):
    event_type: ClassVar[str] = "Pinged"
    subject_field: ClassVar[str] = "ping_id"

    ping_id: UUID


@dataclass(frozen=True)
class Hop:
    total_s: float  # commit -> handler
    relay_s: float  # commit -> PutEvents called
    delivery_s: float  # publisher called -> handler


class TimedPublisher:
    """The real publisher, noting when each envelope's publishing call starts."""

    def __init__(self, publisher: EventPublisher) -> None:
        self._publisher = publisher
        self.started: dict[str, float] = {}

    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        now = time.perf_counter()
        for envelope in envelopes:
            self.started.setdefault(str(envelope.id), now)
        return await self._publisher.publish(envelopes)


async def measure(
    database_url: str, moto_url: str, events: int, interval: float, *, route: str
) -> list[Hop]:
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, not {route!r}")
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    engine = create_async_engine(database_url, pool_size=10)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    prefix = f"bench{uuid4().hex[:6]}"
    topology = build_topology(
        [
            service_entry("bench-pub", publishes=["Pinged"]),
            service_entry(
                "bench-sub",
                consumes=["Pinged"],
                consumes_point_to_point=["Pinged"] if route == "point-to-point" else [],
            ),
            service_entry("bench-audit", consumes=["Pinged"]),
        ],
        prefix=prefix,
    )
    committed: dict[str, float] = {}
    handled: dict[str, float] = {}
    done = asyncio.Event()

    async def handler(event: Event, envelope: Envelope, uow: SqlUnitOfWork) -> None:
        handled.setdefault(str(envelope.id), time.perf_counter())
        if len(handled) == events:
            done.set()

    session = get_session()
    options = {"region_name": "eu-west-1", "endpoint_url": moto_url, "config": CLIENT_CONFIG}
    async with AsyncExitStack() as stack:
        events_client = await stack.enter_async_context(session.create_client("events", **options))
        sqs = await stack.enter_async_context(session.create_client("sqs", **options))
        urls = await provision(events_client, sqs, topology)
        publisher = TimedPublisher(
            await relay_publisher(
                events_client,
                sqs,
                prefix=prefix,
                published=["Pinged"],
                point_to_point_receivers=topology.point_to_point_receivers(["Pinged"]),
            )
        )
        relay = OutboxRelay(
            engine,
            tables.outbox,
            publisher,
            listen_dsn=database_url.replace("+asyncpg", ""),
            poll_interval_seconds=30.0,
            retention=timedelta(days=1),
        )
        consumer = QueueConsumer(
            sqs,
            urls["bench-sub"],
            handling=EventHandling.of(
                "bench-sub", lambda: SqlUnitOfWork(engine), tables.inbox, {Pinged: handler}
            ),
            wait_seconds=20,
        )
        tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
        await asyncio.sleep(1.0)  # listener and first long poll in place
        for _ in range(events):
            async with engine.begin() as connection:
                envelope = await Outbox(connection, tables.outbox, source="bazaar.bench-pub").add(
                    Pinged(ping_id=uuid4())
                )
            committed[str(envelope.id)] = time.perf_counter()
            await asyncio.sleep(interval)
        async with asyncio.timeout(60):
            await done.wait()
        await consumer.stop(5)
        await relay.stop()
        await asyncio.gather(*tasks)
    await engine.dispose()
    return [
        Hop(
            total_s=handled[key] - committed[key],
            relay_s=publisher.started[key] - committed[key],
            delivery_s=handled[key] - publisher.started[key],
        )
        for key in committed
    ]
