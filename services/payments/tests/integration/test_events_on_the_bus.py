"""Payments on the bus: commands come in as orders' relay sends them, replies go out.

Real Postgres, the app's own consumer and relay inside its lifespan, and a
moto server for EventBridge and SQS. An observer stands in for orders: it
publishes the commands through the relay's publisher (straight into
payments' queue, which receives them point to point, ADR 0017, and on the
bus) and its queue receives what payments publishes.
"""

from __future__ import annotations

import asyncio
import json
from uuid import uuid4

import pytest

from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.messaging.relay_publisher import relay_publisher
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.catalog import service_entry
from bazaar_common.testing.moto import REGION
from bazaar_contracts.orders import RefundPayment
from bazaar_payments.main import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
async def on_the_bus(app, settings, moto_server, moto_aws):
    """The payments app with consumer and relay on, a command publisher, the observer queue."""
    prefix = f"t{uuid4().hex[:8]}"
    payments = load_own_entry("bazaar_payments")
    observer = service_entry(
        "observer", publishes=payments.events.consumes, consumes=payments.events.publishes
    )
    topology = build_topology([payments, observer], prefix=prefix)
    urls = await bootstrap(topology, endpoint_url=moto_server.url, region=REGION)
    running = settings.model_copy(
        update={
            "aws_endpoint_url": moto_server.url,
            "resource_prefix": prefix,
            "consumer_wait_seconds": 1,
            "relay_poll_interval_seconds": 30.0,  # LISTEN/NOTIFY must wake it
            "stop_timeout_seconds": 5.0,
        }
    )
    publisher = await relay_publisher(
        moto_aws.events,
        moto_aws.sqs,
        prefix=prefix,
        published=observer.events.publishes,
        point_to_point_receivers=topology.point_to_point,
    )
    async with running_app_client(create_app(running)):
        yield publisher, urls["observer"]


async def next_event(sqs, queue_url: str) -> dict:
    async with asyncio.timeout(15):
        while True:
            answer = await sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)
            for message in answer.get("Messages", []):
                await sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                return json.loads(message["Body"])


async def test_a_capture_and_its_refund_come_back_as_events(on_the_bus, moto_aws, capture_of, db):
    publisher, observed = on_the_bus
    command = capture_of()
    sent = envelope_of(command, source="bazaar.orders")

    assert await publisher.publish([sent]) == [None]
    captured = await next_event(moto_aws.sqs, observed)

    assert captured["detail-type"] == "PaymentCaptured"
    assert captured["source"] == "bazaar.payments"
    detail = captured["detail"]
    assert detail["subject"] == str(command.order_id)
    assert detail["causation_id"] == str(sent.id)
    row = await db.payment(command.order_id)
    assert row is not None
    assert detail["data"] == {
        "order_id": str(command.order_id),
        "payment_id": str(row["id"]),
        "amount_minor": command.amount_minor,
        "currency": command.currency,
    }

    refund = envelope_of(RefundPayment(order_id=command.order_id), source="bazaar.orders")
    await publisher.publish([refund])
    refunded = await next_event(moto_aws.sqs, observed)

    assert refunded["detail-type"] == "PaymentRefunded"
    assert refunded["detail"]["causation_id"] == str(refund.id)
    assert (await db.payment(command.order_id) or {})["status"] == "refunded"
    assert await db.count("inbox") == 2
