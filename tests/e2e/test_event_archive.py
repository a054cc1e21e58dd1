"""The event archive on the whole system: written within seconds, rebuilt from, replayed from.

The commands run as an operator runs them: processes given the stack's
endpoints, through their real entry points.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import pytest
from aiobotocore.session import get_session

from bazaar_common.archive.bucket import archive_bucket_name
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.topology import queue_name
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION
from bazaar_common.testing.postgres import recreate_database

ARCHIVED_WITHIN = 10.0  # seconds from being stored to being archived, with a 2 s flush


@pytest.fixture
async def archive(stack):
    options = {"region_name": REGION, "endpoint_url": stack.moto_url, "config": CLIENT_CONFIG}
    async with get_session().create_client("s3", **options) as s3:
        yield ArchiveStore(s3, archive_bucket_name(stack.prefix))


def operator_environment(stack) -> dict[str, str]:
    return {
        **os.environ,
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": stack.moto_url,
        "AWS_REGION": REGION,
        "RESOURCE_PREFIX": stack.prefix,
        "EVENT_ARCHIVE_BUCKET": archive_bucket_name(stack.prefix),
    }


def run_command(stack, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        env=operator_environment(stack),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


async def stored_events(stack, order_id: str) -> dict[UUID, datetime]:
    """Event id -> when audit stored it, of one order."""
    connection = await asyncpg.connect(stack.dsn("audit"))
    try:
        rows = await connection.fetch(
            "SELECT event_id, received_at FROM events WHERE subject = $1", order_id
        )
    finally:
        await connection.close()
    return {row["event_id"]: row["received_at"] for row in rows}


async def archived_at(archive: ArchiveStore, wanted: set[UUID], within: float) -> datetime:
    """When the last of ``wanted`` was first seen in the archive."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        seen = {
            event.envelope.id
            async for event in archive.events(since=today, until=today + timedelta(days=1))
        }
        if wanted <= seen:
            return datetime.now(UTC)
        await asyncio.sleep(0.2)
    raise AssertionError(f"not archived within {within} s: {sorted(map(str, wanted - seen))}")


async def test_an_orders_events_are_in_the_archive_within_seconds(shop, archive):
    customer = await shop.customer("dora-archived")
    sku = await shop.add_product(5)
    order = (await shop.place(customer, {sku: 1})).json()
    await shop.settled(customer, order["id"])
    # The saga's last events (CommitStock, ShipmentCreated...) follow the confirmation.
    deadline = time.monotonic() + 30
    while len(stored := await stored_events(shop.stack, order["id"])) < 9:
        assert time.monotonic() < deadline, f"audit holds {len(stored)} of the order's events"
        await asyncio.sleep(0.1)

    seen_at = await archived_at(archive, set(stored), within=ARCHIVED_WITHIN)

    lag = (seen_at - max(stored.values())).total_seconds()
    print(f"\narchive: the last of {len(stored)} events archived {lag:.1f} s after it was stored")
    assert lag < ARCHIVED_WITHIN


async def test_the_audit_store_rebuilt_from_the_archive_equals_the_live_one(shop, stack):
    customer = await shop.customer("erin-rebuilt")
    sku = await shop.add_product(2)
    confirmed = (await shop.place(customer, {sku: 1})).json()
    declined = (await shop.place(customer, {sku: 1}, card_token="tok_decline")).json()
    rejected = (await shop.place(customer, {sku: 5})).json()
    for order in (confirmed, declined, rejected):
        await shop.settled(customer, order["id"])
    scratch = "e2e_audit_rebuilt"
    await recreate_database(stack.admin_dsn, scratch)
    scratch_url = stack.database_url(stack.entries["audit"]).replace("e2e_audit", scratch)

    done = await asyncio.to_thread(
        run_command,
        stack,
        "bazaar_audit.rebuild",
        "--into",
        scratch_url,
        "--compare-with",
        stack.database_url(stack.entries["audit"]),
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "rebuild: equal:" in done.stdout, done.stdout
    compared = int(done.stdout.split("equal: ")[1].split(" events")[0])
    assert compared >= sum(
        [len(await stored_events(stack, o["id"])) for o in (confirmed, declined)]
    )


async def test_a_replay_gives_a_consumer_back_the_event_it_lost(shop, stack):
    customer = await shop.customer("finn-replayed")
    sku = await shop.add_product(3)
    since = datetime.now(UTC) - timedelta(seconds=1)
    await asyncio.to_thread(stack.stop, "shipping")
    try:
        order = (await shop.place(customer, {sku: 1})).json()
        assert (await shop.settled(customer, order["id"]))["status"] == "CONFIRMED"
        await lose_delivery(stack, "shipping", "OrderConfirmed", order["id"])
    finally:
        await asyncio.to_thread(stack.start, "shipping")
    await asyncio.sleep(2 * 2.0)  # the archive writer's flush interval, twice
    assert (await shop.shipment_of(shop.admin, order["id"])).status_code == 404

    done = await asyncio.to_thread(replay_to, stack, "shipping", since)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "sent to shipping's queue" in done.stdout
    deadline = time.monotonic() + 15
    while (shipment := await shop.shipment_of(shop.admin, order["id"])).status_code == 404:
        assert time.monotonic() < deadline, "no shipment after the replay"
        await asyncio.sleep(0.2)
    assert shipment.status_code == 200, shipment.text
    # Replayed again: the inbox skips it, still one shipment (the invariants check after).
    again = await asyncio.to_thread(replay_to, stack, "shipping", since)
    assert again.returncode == 0, again.stderr


def replay_to(stack, consumer: str, since: datetime) -> subprocess.CompletedProcess[str]:
    """The archive from ``since`` until now replayed to ``consumer``'s queue."""
    window = ["--since", since.isoformat(), "--until", datetime.now(UTC).isoformat()]
    return run_command(
        stack, "bazaar_common.archive.replay", "--root", str(stack.root), "--consumer", consumer,
        *window,
    )  # fmt: skip


async def lose_delivery(stack, service: str, event_type: str, order_id: str) -> None:
    """Take ``event_type`` of the order off ``service``'s queue and delete it, as if lost."""
    options = {"region_name": REGION, "endpoint_url": stack.moto_url, "config": CLIENT_CONFIG}
    async with get_session().create_client("sqs", **options) as sqs:
        url = (await sqs.get_queue_url(QueueName=queue_name(stack.prefix, service)))["QueueUrl"]
        # The stopped service's last long poll may still take the message
        # (its receive is abandoned, not answered): hidden for 30 s then.
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            answer = await sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1
            )
            for message in answer.get("Messages", []):
                await sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                body = json.loads(message["Body"])
                if (body["detail-type"], body["detail"]["subject"]) == (event_type, order_id):
                    return
    raise AssertionError(f"{event_type} of {order_id} never reached {service}'s queue")
