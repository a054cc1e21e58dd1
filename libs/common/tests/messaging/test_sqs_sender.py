"""The point-to-point sender: SendMessageBatch, 10 entries and 256 KiB a call, per-entry answers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from types import SimpleNamespace

from bazaar_common.messaging.delivery import parse_delivery
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.sqs_sender import SqsSender

QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/bazaar-inventory"


class NoteAdded(Event):
    event_type = "NoteAdded"
    subject_field = "note_id"
    note_id: str
    text: str


def codes(results):
    return [result.split(":")[0] if result else None for result in results]


def envelope(padding=0):
    return Envelope(
        id=uuid7(),
        type="NoteAdded",
        source="bazaar.notes",
        time=datetime.now(UTC),
        subject="n1",
        version=1,
        data={"note_id": "n1", "text": "x" * padding},
    )


class FakeSqs:
    """Answers ``send_message_batch`` like SQS; ``refuse`` picks entries to fail."""

    meta = SimpleNamespace(region_name="eu-west-1")

    def __init__(self, refuse=lambda index: False, delay=0.0, drop=lambda index: False):
        self.refuse = refuse
        self.drop = drop
        self.delay = delay
        self.calls = []

    async def send_message_batch(self, **request):
        await asyncio.sleep(self.delay)
        entries = request["Entries"]
        self.calls.append(request)
        offset = sum(len(call["Entries"]) for call in self.calls[:-1])
        successful, failed = [], []
        for entry in entries:
            index = offset + int(entry["Id"])
            if self.drop(index):
                continue
            if self.refuse(index):
                failed.append(
                    {
                        "Id": entry["Id"],
                        "SenderFault": False,
                        "Code": "InternalError",
                        "Message": "x",
                    }
                )
            else:
                successful.append({"Id": entry["Id"], "MessageId": str(index)})
        return {"Successful": successful, "Failed": failed}


async def test_messages_go_out_ten_per_call_in_order_to_the_queue():
    client = FakeSqs()
    envelopes = [envelope() for _ in range(23)]

    results = await SqsSender(client, QUEUE_URL).publish(envelopes)

    assert results == [None] * 23
    assert [len(call["Entries"]) for call in client.calls] == [10, 10, 3]
    assert {call["QueueUrl"] for call in client.calls} == {QUEUE_URL}
    bodies = [json.loads(e["MessageBody"]) for call in client.calls for e in call["Entries"]]
    assert [Envelope.model_validate(body["detail"]) for body in bodies] == envelopes


async def test_the_body_is_what_an_eventbridge_rule_writes_into_a_queue():
    client = FakeSqs()
    sent = envelope()
    clock = lambda: datetime(2026, 12, 6, 15, 4, 5, 123456, tzinfo=UTC)  # noqa: E731

    await SqsSender(client, QUEUE_URL, clock=clock).publish([sent])

    body = client.calls[0]["Entries"][0]["MessageBody"]
    event = json.loads(body)
    assert set(event) == {
        "version", "id", "detail-type", "source", "account", "time", "region", "resources",
        "detail",
    }  # fmt: skip
    assert event["detail-type"] == "NoteAdded"
    assert (event["source"], event["account"], event["region"]) == (
        "bazaar.notes",
        "123456789012",
        "eu-west-1",
    )
    assert (event["version"], event["time"], event["resources"]) == (
        "0",
        "2026-12-06T15:04:05Z",
        [],
    )
    assert event["id"] != str(sent.id)  # EventBridge's own event id, as on the bus
    parsed, note = parse_delivery(body, EventRegistry([NoteAdded]))
    assert parsed == sent
    assert note == NoteAdded(note_id="n1", text="")


async def test_only_the_refused_entries_get_an_error():
    client = FakeSqs(refuse=lambda index: index in (1, 12))

    results = await SqsSender(client, QUEUE_URL).publish([envelope() for _ in range(14)])

    assert codes(results) == [None, "InternalError"] + [None] * 10 + ["InternalError", None]


async def test_an_entry_without_an_answer_is_not_taken_as_sent():
    client = FakeSqs(drop=lambda index: index == 0)

    results = await SqsSender(client, QUEUE_URL).publish([envelope(), envelope()])

    assert codes(results) == ["MissingEntry", None]


async def test_calls_stay_under_256_kib_and_a_message_too_large_is_not_sent():
    client = FakeSqs()
    envelopes = [envelope(100_000), envelope(100_000), envelope(300_000), envelope(100_000)]

    results = await SqsSender(client, QUEUE_URL).publish(envelopes)

    assert codes(results) == [None, None, "MessageTooLarge", None]
    assert [len(call["Entries"]) for call in client.calls] == [2, 1]
    for call in client.calls:
        assert sum(len(e["MessageBody"].encode()) for e in call["Entries"]) <= 256 * 1024


async def test_a_call_that_times_out_fails_each_of_its_entries():
    client = FakeSqs(delay=1.0)

    results = await SqsSender(client, QUEUE_URL, timeout_seconds=0.05).publish(
        [envelope(), envelope()]
    )

    assert codes(results) == ["Timeout", "Timeout"]


async def test_a_call_refused_by_sqs_fails_each_entry_with_its_code(moto_aws):
    missing = QUEUE_URL.replace("bazaar-inventory", "no-such-queue")
    results = await SqsSender(moto_aws.sqs, missing).publish([envelope(), envelope()])

    assert len(results) == 2
    assert all(result and ":" in result for result in results)
    assert results[0] == results[1]
