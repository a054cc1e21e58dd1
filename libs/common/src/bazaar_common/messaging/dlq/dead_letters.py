"""Look into a consumer's dead-letter queue and send its messages back.

SQS has no way to read a queue without receiving from it: listing receives
every message with a hold (a visibility timeout), then makes them visible
again. Receiving counts, so the receive count shown includes earlier
listings. Redrive sends a message's body to the source queue first and
deletes it from the DLQ only once that succeeded: a failure in between
leaves a copy in both, which the consumer's inbox makes harmless.

The command line over it is ``python -m bazaar_common.messaging.dlq`` (``cli``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger("bazaar.messaging.dlq")

_BATCH = 10  # the SQS limit for receives and batch calls


@dataclass(frozen=True)
class Queues:
    """A consumer's queue and its DLQ."""

    source_url: str
    dlq_url: str


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    receipt_handle: str
    body: str
    attributes: dict[str, str] = field(default_factory=dict)
    message_attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def receive_count(self) -> int:
        return int(self.attributes.get("ApproximateReceiveCount", 0))

    @property
    def sent_at(self) -> datetime | None:
        sent = self.attributes.get("SentTimestamp")
        return datetime.fromtimestamp(int(sent) / 1000, UTC) if sent else None

    @property
    def detail_type(self) -> str | None:
        value = self._document().get("detail-type")
        return value if isinstance(value, str) else None

    @property
    def event_id(self) -> str | None:
        detail = self._document().get("detail")
        value = detail.get("id") if isinstance(detail, dict) else None
        return value if isinstance(value, str) else None

    def age_seconds(self, now: datetime) -> float | None:
        sent = self.sent_at
        return (now - sent).total_seconds() if sent else None

    def pretty_body(self) -> str:
        try:
            return json.dumps(json.loads(self.body), indent=2, sort_keys=True)
        except ValueError:
            return self.body  # poison is often not JSON at all

    def _document(self) -> dict[str, Any]:
        # Lenient on purpose: what lands here is often malformed.
        try:
            document = json.loads(self.body)
        except ValueError:
            return {}
        return document if isinstance(document, dict) else {}


@dataclass
class RedriveResult:
    moved: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Message id -> error. Not sent: still in the DLQ. Sent, not deleted: in both."""


async def dlq_depth(sqs: Any, dlq_url: str) -> int:
    """Approximate count of visible messages in the DLQ, for operability logs."""
    answer = await sqs.get_queue_attributes(
        QueueUrl=dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(answer["Attributes"]["ApproximateNumberOfMessages"])


async def peek(
    sqs: Any, dlq_url: str, *, limit: int = 1_000, hold_seconds: int = 60, wait_seconds: int = 1
) -> list[DeadLetter]:
    """Up to ``limit`` messages of the DLQ, oldest first, left in it and visible."""
    letters = await _receive_all(
        sqs, dlq_url, limit=limit, hold_seconds=hold_seconds, wait_seconds=wait_seconds
    )
    await _release(sqs, dlq_url, letters)
    return sorted(letters, key=lambda letter: letter.sent_at or datetime.max.replace(tzinfo=UTC))


async def find(sqs: Any, dlq_url: str, message_id: str, **options: Any) -> DeadLetter | None:
    return next(
        (m for m in await peek(sqs, dlq_url, **options) if m.message_id == message_id), None
    )


async def redrive(
    sqs: Any,
    queues: Queues,
    message_ids: Collection[str] | None = None,
    *,
    limit: int = 1_000,
    hold_seconds: int = 60,
    wait_seconds: int = 1,
) -> RedriveResult:
    """Move the chosen messages (all when ``message_ids`` is None) to the source queue."""
    letters = await _receive_all(
        sqs, queues.dlq_url, limit=limit, hold_seconds=hold_seconds, wait_seconds=wait_seconds
    )
    wanted = None if message_ids is None else set(message_ids)
    chosen = [m for m in letters if wanted is None or m.message_id in wanted]
    result = RedriveResult()
    if wanted is not None:
        result.not_found = sorted(wanted - {m.message_id for m in chosen})
    chosen_ids = {m.message_id for m in chosen}
    kept = [m for m in letters if m.message_id not in chosen_ids]
    for letter in chosen:
        try:
            await _send_back(sqs, queues.source_url, letter)
        except Exception as error:
            result.failed[letter.message_id] = f"not sent: {type(error).__name__}: {error}"
            kept.append(letter)
            continue
        try:
            await sqs.delete_message(QueueUrl=queues.dlq_url, ReceiptHandle=letter.receipt_handle)
        except Exception as error:
            result.failed[letter.message_id] = (
                f"sent, not deleted from the DLQ: {type(error).__name__}: {error}"
            )
            continue
        result.moved.append(letter.message_id)
        logger.info(
            "dead letter redriven",
            extra={"message_id": letter.message_id, "queue": queues.source_url},
        )
    await _release(sqs, queues.dlq_url, kept)
    return result


async def _send_back(sqs: Any, source_url: str, letter: DeadLetter) -> None:
    options: dict[str, Any] = {"QueueUrl": source_url, "MessageBody": letter.body}
    if letter.message_attributes:
        options["MessageAttributes"] = letter.message_attributes
    await sqs.send_message(**options)


async def _receive_all(
    sqs: Any, dlq_url: str, *, limit: int, hold_seconds: int, wait_seconds: int
) -> list[DeadLetter]:
    """Receive until the DLQ answers with nothing (or ``limit``), holding each message.

    The hold keeps a message from being received twice in one pass; a
    message seen again (its hold ran out on a long pass) keeps its newest
    receipt handle, the only one SQS still accepts.
    """
    letters: dict[str, DeadLetter] = {}
    while len(letters) < limit:
        answer = await sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=min(_BATCH, limit - len(letters)),
            WaitTimeSeconds=wait_seconds,
            VisibilityTimeout=hold_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = answer.get("Messages", [])
        if not messages:
            break
        for message in messages:
            letter = DeadLetter(
                message_id=message["MessageId"],
                receipt_handle=message["ReceiptHandle"],
                body=message.get("Body", ""),
                attributes=dict(message.get("Attributes") or {}),
                message_attributes=dict(message.get("MessageAttributes") or {}),
            )
            letters[letter.message_id] = letter
    return list(letters.values())


async def _release(sqs: Any, dlq_url: str, letters: list[DeadLetter]) -> None:
    """Make held messages visible again at once."""
    for start in range(0, len(letters), _BATCH):
        chunk = letters[start : start + _BATCH]
        answer = await sqs.change_message_visibility_batch(
            QueueUrl=dlq_url,
            Entries=[
                {"Id": str(index), "ReceiptHandle": letter.receipt_handle, "VisibilityTimeout": 0}
                for index, letter in enumerate(chunk)
            ],
        )
        for failure in answer.get("Failed", []):
            # Harmless: the message becomes visible when its hold runs out.
            logger.warning(
                "could not release a dead letter", extra={"error": failure.get("Message")}
            )
