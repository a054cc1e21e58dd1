"""Inventory's events leave through the outbox relay and reach their subscribers.

Real Postgres, the real relay inside the app's lifespan, and a moto server
for EventBridge and SQS; an observer queue subscribes to inventory's events.
"""

from __future__ import annotations

import asyncio
import json
from uuid import uuid4

import pytest
from aiobotocore.session import get_session

from bazaar_common.catalog import load_own_entry
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.catalog import service_entry
from bazaar_inventory.main import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
async def observed(app, settings, moto_server):
    """The inventory app with its relay on, and the URL of an observer's queue."""
    prefix = f"t{uuid4().hex[:8]}"
    inventory = load_own_entry("bazaar_inventory")
    observer = service_entry("observer", consumes=inventory.events.publishes)
    urls = await bootstrap(
        build_topology([inventory, observer], prefix=prefix),
        endpoint_url=moto_server.url,
        region="eu-west-1",
    )
    relaying = settings.model_copy(
        update={
            "aws_endpoint_url": moto_server.url,
            "resource_prefix": prefix,
            "relay_enabled": True,
            "relay_poll_interval_seconds": 30.0,  # LISTEN/NOTIFY must wake it
        }
    )
    own_app = create_app(relaying)
    async with running_app_client(own_app) as client:
        yield client, urls["observer"]


async def receive_types(queue_url: str, moto_url: str, count: int) -> list[dict]:
    session = get_session()
    received: list[dict] = []
    async with session.create_client("sqs", region_name="eu-west-1", endpoint_url=moto_url) as sqs:
        async with asyncio.timeout(15):
            while len(received) < count:
                answer = await sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)
                for message in answer.get("Messages", []):
                    received.append(json.loads(message["Body"]))
                    await sqs.delete_message(
                        QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"]
                    )
    return received


async def test_a_reservation_and_its_commit_reach_the_subscriber(
    observed, token_issuer, moto_server
):
    client, queue_url = observed
    admin = {"Authorization": f"Bearer {token_issuer.admin_token()}"}
    product = {"sku": "BUS-1", "name": "Bus", "price": {"amount_minor": 5, "currency": "EUR"}}
    assert (
        await client.post("/inventory/products", json=product, headers=admin)
    ).status_code == 201
    restock = await client.post(
        "/inventory/products/BUS-1/restock", json={"quantity": 3}, headers=admin
    )
    assert restock.status_code == 200
    order_id = str(uuid4())
    body = {"order_id": order_id, "lines": [{"sku": "BUS-1", "quantity": 2}]}
    assert (
        await client.post("/inventory/reservations", json=body, headers=admin)
    ).status_code == 201
    committed = await client.post(f"/inventory/reservations/{order_id}/commit", headers=admin)
    assert committed.status_code == 200

    events = await receive_types(queue_url, moto_server.url, count=2)
    assert sorted(event["detail-type"] for event in events) == ["StockCommitted", "StockReserved"]
    for event in events:
        assert event["source"] == "bazaar.inventory"
        assert event["detail"]["subject"] == order_id
        assert event["detail"]["type"] == event["detail-type"]
