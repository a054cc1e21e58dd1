"""Traces across the event hop: the publisher's producer span, the consumer's span per message.

Real parts: the session's moto server as SQS and EventBridge, through the
service's own instrumented clients (``messaging.aws.open_clients``), and a
fresh Postgres database for the consumer's inbox.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from uuid import uuid4

import pytest
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy import MetaData, text

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.aws import open_clients
from bazaar_common.messaging.consumer import QueueConsumer
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.publisher import EventBridgePublisher
from bazaar_common.messaging.sqs_sender import SqsSender
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.messaging.trace_context import current_traceparent
from bazaar_common.observability import instrument_engine
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.moto import REGION
from bazaar_common.testing.settings import make_test_settings
from bazaar_common.testing.waiting import wait_until

tracer = trace.get_tracer("test")


class ParcelPacked(Event):
    event_type: ClassVar[str] = "ParcelPacked"
    subject_field: ClassVar[str] = "parcel_id"

    parcel_id: str


def envelope(traceparent: str | None, *, age: timedelta = timedelta(0)) -> Envelope:
    parcel_id = str(uuid4())
    return Envelope(
        id=uuid7(),
        type="ParcelPacked",
        source="bazaar.packing",
        time=datetime.now(UTC) - age,
        subject=parcel_id,
        version=1,
        data={"parcel_id": parcel_id},
        traceparent=traceparent,
    )


def eventbridge_body(item: Envelope) -> str:
    return json.dumps(
        {"detail-type": item.type, "source": item.source, "detail": item.model_dump(mode="json")}
    )


def hex_id(value: int, width: int) -> str:
    return format(value, f"0{width}x")


@pytest.fixture
async def aws(observed_session, moto_server, jwks_server):
    settings = make_test_settings(
        ServiceSettings,
        "postgresql+asyncpg://unused:unused@127.0.0.1/unused",
        jwks_server,
        aws_endpoint_url=moto_server.url,
        aws_region=REGION,
    )
    async with AsyncExitStack() as stack:
        yield await open_clients(settings, stack)


@pytest.fixture
async def inbox_db(observed, fresh_database):
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    database = await fresh_database(metadata, prefix="observability", pool_size=4)
    instrument_engine(database.engine, observed.telemetry)
    return database.engine, tables.inbox


async def test_a_handled_message_is_a_consumer_span_continuing_the_publishers_trace(
    observed, aws, inbox_db
):
    _, sqs = aws
    engine, inbox = inbox_db
    queue_url = (await sqs.create_queue(QueueName=f"obs-{uuid4().hex[:8]}"))["QueueUrl"]
    with tracer.start_as_current_span("place order") as publishing:
        published = envelope(current_traceparent(), age=timedelta(seconds=2))
    seen: list[str | None] = []

    async def handle(event, envelope, uow):
        await uow.connection.execute(text("SELECT 1"))
        seen.append(current_traceparent())  # what an outbox row written here carries

    consumer = QueueConsumer(
        sqs,
        queue_url,
        handling=EventHandling.of(
            "worker", lambda: SqlUnitOfWork(engine), inbox, {ParcelPacked: handle}
        ),
        wait_seconds=1,
    )
    body = eventbridge_body(published)
    await sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    await sqs.send_message(QueueUrl=queue_url, MessageBody=body)  # a redelivery
    async with AsyncExitStack() as running:
        task = asyncio.create_task(consumer.run())
        running.push_async_callback(lambda: asyncio.wait_for(task, 10))
        running.push_async_callback(consumer.stop, 5)
        await wait_until(lambda: consumer.stats.acked + consumer.stats.duplicates == 2)

    spans = observed.spans()
    handled = [s for s in spans if s.kind is SpanKind.CONSUMER]
    assert [s.name for s in handled] == ["ParcelPacked process"] * 2
    assert sorted(s.attributes["bazaar.consumer.outcome"] for s in handled) == [
        "acked",
        "duplicate",
    ]
    for span in handled:
        assert span.context.trace_id == publishing.get_span_context().trace_id
        assert span.parent.span_id == publishing.get_span_context().span_id
        assert span.attributes["bazaar.event.id"] == str(published.id)
    [first] = [s for s in handled if s.attributes["bazaar.consumer.outcome"] == "acked"]
    # Events the handler publishes continue from the consumer span.
    trace_id = hex_id(first.context.trace_id, 32)
    [carried] = seen
    assert carried is not None
    assert carried.startswith(f"00-{trace_id}-{hex_id(first.context.span_id, 16)}-")
    children = [s for s in spans if s.parent and s.parent.span_id == first.context.span_id]
    names = {s.name for s in children}
    assert "SQS.DeleteMessage" in names
    assert any(s.attributes.get("db.system") == "postgresql" for s in children)
    # Long polls belong to no trace: their client spans are not recorded.
    assert not [s for s in spans if s.name == "SQS.ReceiveMessage"]

    lag = [
        p
        for p in observed.metric_points("bazaar.consumer.lag")
        if p.attributes["consumer"] == "worker"
    ]
    assert lag
    assert lag[0].sum >= 2.0
    outcomes = {
        p.attributes["outcome"]: p.value
        for p in observed.metric_points("bazaar.consumer.messages")
        if p.attributes["consumer"] == "worker"
    }
    assert outcomes["acked"] >= 1
    assert outcomes["duplicate"] >= 1


async def test_publishing_joins_the_trace_of_the_events_it_carries(observed, aws):
    events, _ = aws
    bus = f"obs-{uuid4().hex[:8]}"
    await events.create_event_bus(Name=bus)
    publisher = EventBridgePublisher(events, bus_name=bus)
    with tracer.start_as_current_span("request") as request:
        one_trace = [envelope(current_traceparent()), envelope(current_traceparent())]
    assert await publisher.publish(one_trace) == [None, None]
    [producer] = [s for s in observed.spans() if s.kind is SpanKind.PRODUCER]
    assert producer.name == f"publish {bus}"
    assert producer.parent.span_id == request.get_span_context().span_id
    [put] = [s for s in observed.spans() if s.name == "EventBridge.PutEvents"]
    assert put.kind is SpanKind.CLIENT
    assert put.parent.span_id == producer.context.span_id

    observed.exporter.clear()
    mixed = []
    for name in ("a", "b"):
        with tracer.start_as_current_span(name):
            mixed.append(envelope(current_traceparent()))
    assert await publisher.publish(mixed) == [None, None]
    [producer] = [s for s in observed.spans() if s.kind is SpanKind.PRODUCER]
    assert producer.parent is None
    linked = {link.context.trace_id for link in producer.links}
    assert linked == {int(e.traceparent.split("-")[1], 16) for e in mixed if e.traceparent}


async def test_sending_point_to_point_joins_the_trace_and_keeps_it_in_the_envelope(observed, aws):
    _, sqs = aws
    queue = f"obs-{uuid4().hex[:8]}"
    url = (await sqs.create_queue(QueueName=queue))["QueueUrl"]
    with tracer.start_as_current_span("handler") as handler:
        sent = envelope(current_traceparent())
    assert await SqsSender(sqs, url).publish([sent]) == [None]

    [producer] = [s for s in observed.spans() if s.kind is SpanKind.PRODUCER]
    assert producer.name == f"publish {queue}"
    assert producer.attributes["messaging.system"] == "aws_sqs"
    assert producer.parent.span_id == handler.get_span_context().span_id
    [call] = [s for s in observed.spans() if s.name == "SQS.SendMessageBatch"]
    assert call.parent.span_id == producer.context.span_id
    [message] = (await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1))["Messages"]
    assert json.loads(message["Body"])["detail"]["traceparent"] == sent.traceparent
