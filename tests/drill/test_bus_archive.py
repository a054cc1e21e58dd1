"""The bus archive on moto: every event archived, and a replay honours its window."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from uuid import uuid4

from bazaar_devstack.bus_archive import BusArchive

SOURCE = "bazaar.drill"


def whole_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def envelope(number: int) -> dict:
    return {
        "id": str(uuid4()),
        "type": "DrillTicked",
        "source": SOURCE,
        "time": datetime.now(UTC).isoformat(),
        "subject": f"tick-{number}",
        "version": 1,
        "data": {"n": number},
    }


async def put(events, bus: str, detail: dict) -> None:
    answer = await events.put_events(
        Entries=[
            {
                "Source": SOURCE,
                "DetailType": detail["type"],
                "Detail": json.dumps(detail),
                "EventBusName": bus,
            }
        ]
    )
    assert not answer.get("FailedEntryCount"), answer


async def received(sqs, url: str) -> list[dict]:
    """Every message of the queue, received and deleted: the events' details, in order."""
    details: list[dict] = []
    while True:
        answer = await sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = answer.get("Messages", [])
        if not messages:
            return details
        for message in messages:
            details.append(json.loads(message["Body"])["detail"])
            await sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


async def test_a_replay_puts_back_the_window_of_events_in_order_with_their_envelopes(
    moto_server, moto_aws
):
    events, sqs = moto_aws
    bus = f"drill{uuid4().hex[:8]}"
    await events.create_event_bus(Name=bus)
    url = (await sqs.create_queue(QueueName=f"{bus}-consumer"))["QueueUrl"]
    arn = (await sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"]))["Attributes"][
        "QueueArn"
    ]
    await events.put_rule(
        Name=f"{bus}-consumer", EventBusName=bus, EventPattern=json.dumps({"source": [SOURCE]})
    )
    await events.put_targets(
        Rule=f"{bus}-consumer", EventBusName=bus, Targets=[{"Id": "consumer", "Arn": arn}]
    )
    archive = BusArchive(
        endpoint_url=moto_server.url, bus_name=bus, sources=[SOURCE], name=f"{bus}-archive"
    )
    async with archive:
        ticks = [envelope(number) for number in range(4)]
        for tick in ticks:
            await put(events, bus, tick)
            put_by = whole_ms(datetime.now(UTC))
            while whole_ms(datetime.now(UTC)) <= put_by:  # the next one, a later millisecond
                await asyncio.sleep(0.001)
        assert await archive.stop() == len(ticks)
        everything = archive.window(archive.opened_at, datetime.now(UTC))
        assert [event.detail for event in everything] == ticks
        assert await received(sqs, url) == ticks  # delivered once, as published

        second, third = everything[1], everything[2]
        assert await archive.replay(second.ingested_at, third.ingested_at) == 2

        assert await received(sqs, url) == ticks[1:3]  # same envelopes: consumers deduplicate
