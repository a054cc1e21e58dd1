"""The EventBridge publisher: calls of at most 10 entries and 256 KiB, an answer per entry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.publisher import EventBridgePublisher


def codes(results):
    """The error code of each result (``None`` for an accepted entry)."""
    return [result.split(":")[0] if result else None for result in results]


def envelope(padding=0):
    return Envelope(
        id=uuid7(),
        type="NoteAdded",
        source="bazaar.notes",
        time=datetime.now(UTC),
        subject="n1",
        version=1,
        data={"text": "x" * padding},
    )


class FakeEvents:
    """Answers ``put_events`` like EventBridge; ``refuse`` picks entries to fail."""

    def __init__(self, refuse=lambda index: False, delay=0.0):
        self.refuse = refuse
        self.delay = delay
        self.calls = []

    async def put_events(self, **request):
        await asyncio.sleep(self.delay)
        entries = request["Entries"]
        self.calls.append(entries)
        answers = [
            {"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}
            if self.refuse(index)
            else {"EventId": str(index)}
            for index in range(len(entries))
        ]
        failed = sum("ErrorCode" in answer for answer in answers)
        return {"FailedEntryCount": failed, "Entries": answers}


async def test_entries_go_out_ten_per_call_in_order():
    client = FakeEvents()
    envelopes = [envelope() for _ in range(23)]

    results = await EventBridgePublisher(client, bus_name="bus").publish(envelopes)

    assert results == [None] * 23
    assert [len(call) for call in client.calls] == [10, 10, 3]
    sent = [entry for call in client.calls for entry in call]
    assert [Envelope.model_validate_json(entry["Detail"]) for entry in sent] == envelopes
    first = sent[0]
    assert (first["Source"], first["DetailType"], first["EventBusName"]) == (
        "bazaar.notes",
        "NoteAdded",
        "bus",
    )
    # EventBridge stamps the time it takes the event: the archive's replay
    # window (docs/disaster-recovery.md) must select by commit, not creation.
    assert "Time" not in first


async def test_a_refused_entry_gets_its_error_and_the_others_none():
    client = FakeEvents(refuse=lambda index: index == 2)

    results = await EventBridgePublisher(client, bus_name="bus").publish(
        [envelope() for _ in range(4)]
    )

    assert results == [None, None, "ThrottlingException: slow down", None]


async def test_calls_stay_under_256_kib_and_an_entry_too_large_is_not_sent():
    client = FakeEvents()
    envelopes = [envelope(100_000), envelope(100_000), envelope(300_000), envelope(100_000)]

    results = await EventBridgePublisher(client, bus_name="bus").publish(envelopes)

    assert codes(results) == [None, None, "EntryTooLarge", None]
    assert [len(call) for call in client.calls] == [2, 1]


async def test_a_call_that_times_out_fails_each_of_its_entries():
    client = FakeEvents(delay=1.0)
    publisher = EventBridgePublisher(client, bus_name="bus", timeout_seconds=0.05)

    results = await publisher.publish([envelope(), envelope()])

    assert codes(results) == ["Timeout", "Timeout"]


async def test_a_call_refused_by_the_bus_fails_each_entry_with_its_code(moto_aws):
    events = moto_aws.events
    publisher = EventBridgePublisher(events, bus_name="no-such-bus")

    results = await publisher.publish([envelope(), envelope()])

    assert codes(results) == ["ResourceNotFoundException"] * 2


async def test_an_unreachable_endpoint_fails_each_entry_instead_of_raising():
    config = AioConfig(connect_timeout=1, retries={"mode": "standard", "max_attempts": 1})
    options = {
        "region_name": "eu-west-1",
        "endpoint_url": "http://127.0.0.1:1",
        "config": config,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    async with get_session().create_client("events", **options) as events:
        results = await EventBridgePublisher(events, bus_name="bus").publish([envelope()])

    assert codes(results) == ["EndpointConnectionError"]
