"""A window of the archive replayed to one consumer's queue on a real SQS API (moto)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from bazaar_common.archive import replay as replay_command
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.archive.replay import replay
from bazaar_common.testing.archive import archived_event, put_as_one_batch
from bazaar_common.testing.catalog import service_entry

T0 = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
REPOSITORY = Path(__file__).resolve().parents[4]
CONSUMER = service_entry("replayed", consumes=["StockReserved", "PaymentCaptured"])


def event(minutes: float, event_type: str) -> ArchivedEvent:
    return archived_event(T0 + timedelta(minutes=minutes), event_type, subject=str(uuid4()))


async def archive(store, events: list[ArchivedEvent]) -> None:
    for archived in events:
        await put_as_one_batch(store, archived)


async def drain(sqs, queue_url: str) -> list[dict]:
    bodies: list[dict] = []
    while True:
        answer = await sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        if not answer.get("Messages"):
            return bodies
        bodies += [json.loads(message["Body"]) for message in answer["Messages"]]
        await sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                for index, message in enumerate(answer["Messages"])
            ],
        )


async def test_only_the_windows_events_of_the_consumers_types_reach_its_queue(
    archive_store, moto_aws
):
    before = event(-1, "StockReserved")
    inside = [event(minutes, "StockReserved") for minutes in range(12)]
    captured = event(30, "PaymentCaptured")
    not_consumed = event(5, "OrderPlaced")
    after = event(60, "StockReserved")
    await archive(archive_store, [before, *inside, captured, not_consumed, after])
    queue_url = (await moto_aws.sqs.create_queue(QueueName=f"replay-{uuid4().hex[:12]}"))[
        "QueueUrl"
    ]

    sent = await replay(
        archive_store, moto_aws.sqs, queue_url, CONSUMER, since=T0, until=T0 + timedelta(hours=1)
    )

    bodies = await drain(moto_aws.sqs, queue_url)
    assert sent == len(bodies) == 13
    assert sorted(body["detail"]["id"] for body in bodies) == sorted(
        str(archived.envelope.id) for archived in [*inside, captured]
    )
    # As a bus rule writes them: the consumer's delivery parsing takes them unchanged.
    assert all(body["detail-type"] == body["detail"]["type"] for body in bodies)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--consumer", "nobody"], "no service 'nobody'"),
        (["--consumer", "inventory", "--until", "2026-12-06T09:00:00Z"], "--since must be before"),
    ],
)
def test_the_command_refuses_what_it_cannot_replay(arguments, message, capsys):
    window = ["--since", "2026-12-06T10:00:00Z", "--until", "2026-12-06T11:00:00Z"]

    status = replay_command.main(
        [*window, "--root", str(REPOSITORY), "--bucket", "some-archive", *arguments]
    )

    assert status == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("since", "message"),
    [("2026-12-06T10:00", "no UTC offset"), ("yesterday", "not an ISO 8601 time")],
)
def test_a_time_that_is_not_an_aware_iso_time_is_refused(since, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        replay_command.main(
            ["--consumer", "orders", "--since", since, "--until", "2026-12-06T11:00Z"]
        )

    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
