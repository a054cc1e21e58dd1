"""The bus's archive and a replay of a window of it, locally: what a restore needs from EventBridge.

In AWS, an archive on the event bus keeps every event its pattern matches,
and ``aws events start-replay --event-start-time S --event-end-time E`` puts
the archived events of that window back on the bus. After a database is
restored to a moment T, that is how the events in flight at T (published,
so marked published in the restored outboxes, but not yet handled, so not in
the restored inboxes) reach their consumers again: replay a window ending at
T; consumers skip the ones they had handled, by the envelope id in the detail.

moto 5.2.5 has CreateArchive and StartReplay, but its replay
(``moto.events.models.Replay.replay_events``) sends every archived event,
ignoring EventStartTime and EventEndTime, and gives each a new event id. The
ids do no harm here (consumers deduplicate on the envelope id inside the
detail), the window does: events from after T would come back too, effects
of a future the restore undid (a StockReserved for an order the restored
orders database never placed). So, with what moto does implement:

* a rule on the stack's bus matching every event of the stack's sources, whose
  target is an SQS queue ``<prefix>-archive`` (``BusArchive.open``);
* a background task that drains that queue into a list (and a JSONL file):
  the ingestion time (the queue's ``SentTimestamp``: moto delivers to a rule's
  queue inside PutEvents, so it is when the bus took the event; milliseconds,
  rounded down) and the full event (source, detail-type, detail, time);
* ``replay(start, end)``: PutEvents of every archived event ingested within
  [start, end], in the order ingested, with the same source, detail-type,
  detail and time: start-replay's contract, with the window honoured.

AWS selects the window by the time in the event, and the relay leaves that
to EventBridge (no ``Time`` in its PutEvents entries): the time the bus took
the event, after its outbox row committed. So in both places a window ending
at T holds exactly the events whose rows a restore to T keeps.

Replayed events match the archive's own rule: stop the archive (``stop()``)
before replaying, or they are archived a second time.

A type received point to point (docs/adr/0017) reaches its receiver's rule
in AWS only as a replayed event (the rule matches it when ``replay-name``
exists, which EventBridge adds and PutEvents cannot): ``replay`` stands in
for that clause by also sending those events straight to the receiver's
queue (``point_to_point_queues``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiobotocore.session import get_session

from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.sqs_sender import SqsSender
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION
from bazaar_devstack.stack import Stack

logger = logging.getLogger("bazaar.devstack.bus_archive")

PUT_EVENTS_BATCH = 10  # PutEvents takes at most 10 entries
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ArchivedEvent:
    """One event as the bus delivered it to the archive's queue."""

    ingested_at: datetime
    """When the bus took it (the archive queue's SentTimestamp, milliseconds)."""
    event_id: str
    """EventBridge's id of this delivery, not the envelope id inside ``detail``."""
    source: str
    detail_type: str
    detail: dict[str, Any]
    time: str
    """The event's time as EventBridge wrote it (whole seconds)."""

    def entry(self, bus_name: str) -> dict[str, Any]:
        """A PutEvents entry that puts the same event on ``bus_name`` again."""
        return {
            "Source": self.source,
            "DetailType": self.detail_type,
            "Detail": json.dumps(self.detail),
            "Time": datetime.fromisoformat(self.time),
            "EventBusName": bus_name,
        }

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "ingested_at": self.ingested_at.isoformat()})


class BusArchive:
    """A rule and a queue archiving the bus's events, drained in the background; replays.

    ``async with BusArchive.of_stack(stack) as archive:`` creates the rule and
    queue and starts draining; leaving deletes them.
    """

    def __init__(
        self,
        *,
        endpoint_url: str,
        bus_name: str,
        sources: Sequence[str],
        name: str,
        region: str = REGION,
        jsonl: Path | None = None,
        wait_seconds: int = 1,
        point_to_point_queues: Mapping[str, str] | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.bus_name = bus_name
        self.sources = sorted(sources)
        self.name = name
        self.region = region
        self.jsonl = jsonl
        self.point_to_point_queues = dict(point_to_point_queues or {})
        """Type -> the queue URL of its point-to-point receiver."""
        self.events: list[ArchivedEvent] = []
        """Every archived event, in the order drained."""
        self._opened_at: datetime | None = None
        self._wait_seconds = wait_seconds
        self._seen: set[str] = set()
        self._clients = AsyncExitStack()
        self._events_client: Any = None
        self._sqs: Any = None
        self._queue_url = ""
        self._stopping = asyncio.Event()
        self._drainer: asyncio.Task[None] | None = None

    @classmethod
    def of_stack(cls, stack: Stack, *, jsonl: Path | None = None) -> BusArchive:
        """Every event the stack's services publish (sources ``bazaar.<service>``)."""
        assert stack.topology is not None, "provision() the stack first"
        return cls(
            endpoint_url=stack.moto_url,
            bus_name=stack.topology.bus_name,
            sources=[f"bazaar.{service}" for service in stack.entries],
            name=f"{stack.prefix}-archive",
            jsonl=jsonl,
            point_to_point_queues={
                event_type: stack.queue_urls[receiver]
                for event_type, receiver in stack.topology.point_to_point.items()
            },
        )

    @property
    def opened_at(self) -> datetime:
        """When the rule was in place: the archive holds every event the bus took since."""
        if self._opened_at is None:
            raise RuntimeError("the archive was never opened")
        return self._opened_at

    async def __aenter__(self) -> BusArchive:
        await self.open()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Create the queue, the rule and its target; start draining."""
        session = get_session()
        options = {
            "region_name": self.region,
            "endpoint_url": self.endpoint_url,
            "config": CLIENT_CONFIG,
            "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        }
        self._events_client = await self._clients.enter_async_context(
            session.create_client("events", **options)
        )
        self._sqs = await self._clients.enter_async_context(session.create_client("sqs", **options))
        self._queue_url = (await self._sqs.create_queue(QueueName=self.name))["QueueUrl"]
        queue_arn = (
            await self._sqs.get_queue_attributes(
                QueueUrl=self._queue_url, AttributeNames=["QueueArn"]
            )
        )["Attributes"]["QueueArn"]
        rule_arn = (
            await self._events_client.put_rule(
                Name=self.name,
                EventBusName=self.bus_name,
                Description="Every event of the stack's services, to the archive's queue",
                EventPattern=json.dumps({"source": self.sources}),
                State="ENABLED",
            )
        )["RuleArn"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "FromTheArchiveRule",
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnLike": {"aws:SourceArn": rule_arn}},
                }
            ],
        }
        await self._sqs.set_queue_attributes(
            QueueUrl=self._queue_url, Attributes={"Policy": json.dumps(policy)}
        )
        await self._events_client.put_targets(
            Rule=self.name,
            EventBusName=self.bus_name,
            Targets=[{"Id": self.name, "Arn": queue_arn}],
        )
        self._opened_at = datetime.now(UTC)
        self._drainer = asyncio.create_task(self._drain(), name=f"drain {self.name}")

    async def stop(self, within: float = 30.0) -> int:
        """Stop draining in the background, then archive what the queue holds; how many in all.

        Call it once nothing publishes any more (the services stopped): the
        archive then holds every event the bus took until then. A failure of
        the background task is raised here.
        """
        if self._drainer is not None:
            self._stopping.set()
            drainer, self._drainer = self._drainer, None
            await drainer  # its receive waits at most wait_seconds
        async with asyncio.timeout(within):
            while True:
                if await self._receive(wait_seconds=0):
                    continue
                if await self._depth() == 0:
                    break
                await asyncio.sleep(0.05)  # received elsewhere: back after its visibility timeout
        return len(self.events)

    def window(self, start: datetime, end: datetime) -> list[ArchivedEvent]:
        """The events ingested within [start, end], in the order ingested."""
        chosen = [event for event in self.events if start <= event.ingested_at <= end]
        return sorted(chosen, key=lambda event: event.ingested_at)  # stable: drained order

    async def replay(self, start: datetime, end: datetime) -> int:
        """Put every event ingested within [start, end] on the bus again, in order; how many."""
        chosen = self.window(start, end)
        for first in range(0, len(chosen), PUT_EVENTS_BATCH):
            batch = chosen[first : first + PUT_EVENTS_BATCH]
            answer = await self._events_client.put_events(
                Entries=[event.entry(self.bus_name) for event in batch]
            )
            if answer.get("FailedEntryCount"):
                raise RuntimeError(f"replay: PutEvents refused entries: {answer['Entries']}")
            await self._replay_point_to_point(batch)
        logger.info(
            "archive replayed",
            extra={
                "archive": self.name,
                "events": len(chosen),
                "start": str(start),
                "end": str(end),
            },
        )
        return len(chosen)

    async def _replay_point_to_point(self, batch: list[ArchivedEvent]) -> None:
        """What the receivers' rules take from a replay in AWS: their point-to-point types."""
        for event_type, queue_url in self.point_to_point_queues.items():
            envelopes = [
                Envelope.model_validate(event.detail)
                for event in batch
                if event.detail_type == event_type
            ]
            if not envelopes:
                continue
            answers = await SqsSender(self._sqs, queue_url).publish(envelopes)
            if any(answers):
                raise RuntimeError(f"replay: SendMessageBatch refused entries: {answers}")

    async def close(self) -> None:
        """Stop draining (without the final drain) and delete the rule, its target and the queue."""
        if self._drainer is not None:
            self._stopping.set()
            self._drainer.cancel()
            await asyncio.gather(self._drainer, return_exceptions=True)
            self._drainer = None
        try:
            if self._events_client is not None:
                await self._events_client.remove_targets(
                    Rule=self.name, EventBusName=self.bus_name, Ids=[self.name]
                )
                await self._events_client.delete_rule(Name=self.name, EventBusName=self.bus_name)
            if self._queue_url:
                await self._sqs.delete_queue(QueueUrl=self._queue_url)
        finally:
            await self._clients.aclose()

    async def _drain(self) -> None:
        while not self._stopping.is_set():
            await self._receive(wait_seconds=self._wait_seconds)

    async def _receive(self, *, wait_seconds: int) -> int:
        """One receive: archive the messages, then delete them; how many came."""
        answer = await self._sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["SentTimestamp"],
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        if not messages:
            return 0
        for message in messages:
            self._archive(message)
        deleted = await self._sqs.delete_message_batch(
            QueueUrl=self._queue_url,
            Entries=[
                {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                for index, message in enumerate(messages)
            ],
        )
        if deleted.get("Failed"):
            # They come back after their visibility timeout and are then skipped as seen.
            logger.warning("archive: messages not deleted", extra={"failed": deleted["Failed"]})
        return len(messages)

    def _archive(self, message: dict[str, Any]) -> None:
        event = json.loads(message["Body"])
        if event["id"] in self._seen:
            return
        self._seen.add(event["id"])
        sent_ms = int(message["Attributes"]["SentTimestamp"])
        archived = ArchivedEvent(
            ingested_at=EPOCH + timedelta(milliseconds=sent_ms),  # exact, unlike a float
            event_id=event["id"],
            source=event["source"],
            detail_type=event["detail-type"],
            detail=event["detail"],
            time=event["time"],
        )
        self.events.append(archived)
        if self.jsonl is not None:
            with self.jsonl.open("a", encoding="utf-8") as lines:
                lines.write(archived.to_json() + "\n")

    async def _depth(self) -> int:
        attributes = (
            await self._sqs.get_queue_attributes(
                QueueUrl=self._queue_url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                ],
            )
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )
