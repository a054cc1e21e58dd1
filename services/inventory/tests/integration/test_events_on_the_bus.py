"""The saga's commands reach inventory as orders' relay sends them; its replies reach subscribers.

Real Postgres, the real consumer and relay inside the app's lifespan, and a
moto server for EventBridge and SQS. A made-up "orders-like" service
publishes the commands (the topology refuses a consumed type nobody
publishes) through the relay's publisher, which puts them straight into
inventory's queue (its catalog receives them point to point, ADR 0017) and
on the bus; an observer queue subscribes to everything inventory publishes.
"""

from __future__ import annotations

import json
from uuid import UUID, uuid4

import pytest

from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.messaging.publisher import EventPublisher
from bazaar_common.messaging.relay_publisher import relay_publisher
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.catalog import service_entry
from bazaar_common.testing.moto import REGION
from bazaar_contracts.fields import StockLine
from bazaar_contracts.orders import CommitStock, ReserveStock
from bazaar_inventory.main import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
async def bus(app, settings, moto_server, moto_aws):
    """The inventory app with consumer and relay on; a publisher and an observer's queue."""
    prefix = f"t{uuid4().hex[:8]}"
    inventory = load_own_entry("bazaar_inventory")
    observer = service_entry("observer", consumes=inventory.events.publishes)
    orders_like = service_entry("orders-like", publishes=inventory.events.consumes)
    topology = build_topology([inventory, observer, orders_like], prefix=prefix)
    urls = await bootstrap(topology, endpoint_url=moto_server.url, region=REGION)
    publisher = await relay_publisher(
        moto_aws.events,
        moto_aws.sqs,
        prefix=prefix,
        published=orders_like.events.publishes,
        point_to_point_receivers=topology.point_to_point,
    )
    messaging_on = settings.model_copy(
        update={
            "aws_endpoint_url": moto_server.url,
            "resource_prefix": prefix,
            "relay_enabled": True,
            "relay_poll_interval_seconds": 30.0,  # LISTEN/NOTIFY must wake it
            "consumers_enabled": True,
            "consumer_wait_seconds": 1,
        }
    )
    async with running_app_client(create_app(messaging_on)) as client:
        yield client, publisher, urls["observer"]


async def send(publisher: EventPublisher, command: Event) -> Envelope:
    envelope = envelope_of(command, source="bazaar.orders")
    assert await publisher.publish([envelope]) == [None]
    return envelope


async def observe(sqs, queue_url: str, count: int) -> dict[str, dict]:
    """The next ``count`` events on the queue, by subject's order id and type."""
    received: dict[str, dict] = {}
    for _ in range(30):
        answer = await sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)
        for message in answer.get("Messages", []):
            event = json.loads(message["Body"])
            received[f"{event['detail']['subject']} {event['detail-type']}"] = event
            await sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if len(received) >= count:
            return received
    raise AssertionError(f"only {sorted(received)} arrived")


async def test_commands_on_the_bus_are_answered_on_the_bus(bus, token_issuer, moto_aws):
    client, publisher, observer_url = bus
    admin = {"Authorization": f"Bearer {token_issuer.admin_token()}"}
    product = {"sku": "BUS-1", "name": "Bus", "price": {"amount_minor": 5, "currency": "EUR"}}
    assert (
        await client.post(
            "/inventory/products", json=product, headers={**admin, "Idempotency-Key": "create"}
        )
    ).status_code == 201
    restock = await client.post(
        "/inventory/products/BUS-1/restock",
        json={"quantity": 3},
        headers={**admin, "Idempotency-Key": "restock"},
    )
    assert restock.status_code == 200

    held, refused = uuid4(), uuid4()
    reserve = await send(publisher, reserve_stock(held, 2))
    too_many = await send(publisher, reserve_stock(refused, 4))
    replies = await observe(moto_aws.sqs, observer_url, count=2)
    assert set(replies) == {f"{held} StockReserved", f"{refused} StockRejected"}
    assert replies[f"{held} StockReserved"]["detail"]["causation_id"] == str(reserve.id)
    rejected = replies[f"{refused} StockRejected"]["detail"]
    assert rejected["causation_id"] == str(too_many.id)
    assert rejected["data"]["shortages"] == [{"sku": "BUS-1", "requested": 4, "available": 1}]

    commit = await send(publisher, CommitStock(order_id=held))
    (committed,) = (await observe(moto_aws.sqs, observer_url, count=1)).values()
    assert committed["detail-type"] == "StockCommitted"
    assert committed["source"] == "bazaar.inventory"
    assert committed["detail"]["causation_id"] == str(commit.id)
    stock = await client.get("/inventory/products/BUS-1/stock", headers=admin)
    assert stock.json() == {"sku": "BUS-1", "available": 1, "reserved": 0, "sold": 2, "received": 3}


def reserve_stock(order_id: UUID, quantity: int) -> ReserveStock:
    return ReserveStock(order_id=order_id, lines=(StockLine(sku="BUS-1", quantity=quantity),))
