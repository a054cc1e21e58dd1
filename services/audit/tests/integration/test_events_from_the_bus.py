"""Events put on the bus as the relays put them reach the store, once per id.

Real Postgres, the real consumer inside the app's lifespan, and a moto server
for EventBridge and SQS with the topology the whole catalog makes.
"""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from bazaar_audit.main import create_app
from bazaar_common.catalog import discover
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.waiting import wait_until

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
async def consuming(app, settings, moto_server):
    """The audit app with its consumer on, on a topology of its own prefix."""
    prefix = f"t{uuid4().hex[:8]}"
    urls = await bootstrap(
        build_topology(discover(REPOSITORY_ROOT), prefix=prefix),
        endpoint_url=moto_server.url,
        region="eu-west-1",
    )
    consuming_settings = settings.model_copy(
        update={
            "aws_endpoint_url": moto_server.url,
            "resource_prefix": prefix,
            "consumers_enabled": True,
            "consumer_wait_seconds": 1,
        }
    )
    async with running_app_client(create_app(consuming_settings)):
        yield prefix, urls["audit"]


async def queue_is_drained(sqs, queue_url: str) -> bool:
    attributes = (
        await sqs.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )
    )["Attributes"]
    return all(int(value) == 0 for value in attributes.values())


async def test_an_event_delivered_twice_is_stored_once(consuming, moto_aws, db, envelopes):
    prefix, queue_url = consuming
    order_id = uuid4()
    envelope = envelopes("StockReserved", order_id)
    # The entry exactly as bazaar_common.messaging.publisher builds it.
    entry = {
        "Source": envelope.source,
        "DetailType": envelope.type,
        "Detail": envelope.model_dump_json(),
        "EventBusName": prefix,
        "Time": envelope.time,
    }
    for _ in range(2):  # a relay that crashed after PutEvents publishes again
        answer = await moto_aws.events.put_events(Entries=[entry])
        assert answer["FailedEntryCount"] == 0, answer

    # moto routes PutEvents to the queue before answering, and the consumer
    # deletes a message only once handled (first time or duplicate; a failed
    # or poison one stays): a drained queue means both deliveries were handled.
    async def both_handled() -> bool:
        return await db.count("inbox") == 1 and await queue_is_drained(moto_aws.sqs, queue_url)

    await wait_until(both_handled, within=15)
    (row,) = await db.event_rows()
    assert row["event_id"] == envelope.id
    assert row["envelope"] == envelope.model_dump(mode="json")
    assert row["subject"] == str(order_id)
