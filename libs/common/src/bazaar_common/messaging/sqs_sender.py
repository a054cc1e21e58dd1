"""Send envelopes straight to one service's SQS queue: the point-to-point path of the relay.

The body is the event exactly as an EventBridge rule writes it into a queue
(``version``, ``id``, ``detail-type``, ``source``, ``account``, ``time``,
``region``, ``resources``, ``detail``), so ``delivery.parse_delivery`` and
every consumer take it as they take one from the bus. Like
``EventBridgePublisher`` it answers per envelope: ``SendMessageBatch``
accepts some entries and refuses others, and only the refused ones are sent
again.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse
from uuid import uuid4

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.send_batches import (
    ERROR_LENGTH,
    MAX_REQUEST_BYTES,
    describe_error,
    send_in_calls,
)

# One message and one SendMessageBatch request: at most 256 KiB.
MAX_MESSAGE_BYTES = MAX_REQUEST_BYTES


class SqsSender:
    """Sends with ``SendMessageBatch`` to one queue: at most 10 entries and 256 KiB per call.

    As with ``EventBridgePublisher``, a call that fails as a whole becomes
    the error of each entry it carried, and ``timeout_seconds`` bounds each
    call: the relay holds its rows' locks across it.
    """

    def __init__(
        self,
        sqs_client: Any,
        queue_url: str,
        *,
        timeout_seconds: float = 10.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = sqs_client
        self._queue_url = queue_url
        self._queue_name = queue_url.rstrip("/").rsplit("/", 1)[-1]
        self._account = _account_of(queue_url)
        self._region = str(getattr(getattr(sqs_client, "meta", None), "region_name", "") or "")
        self._timeout_seconds = timeout_seconds
        self._clock = clock

    @property
    def queue_url(self) -> str:
        return self._queue_url

    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        bodies = [self._body(envelope) for envelope in envelopes]
        return await send_in_calls(
            envelopes,
            bodies,
            [len(body.encode()) for body in bodies],
            send=self._send,
            too_large=lambda size: f"MessageTooLarge: {size} bytes, SQS takes at most 256 KiB",
            system="aws_sqs",
            destination=self._queue_name,
        )

    def _body(self, envelope: Envelope) -> str:
        """The event as an EventBridge rule's SQS target receives it."""
        event = {
            "version": "0",
            # EventBridge gives each event an id of its own; consumers
            # deduplicate on the envelope's id inside ``detail``.
            "id": str(uuid4()),
            "detail-type": envelope.type,
            "source": envelope.source,
            "account": self._account,
            "time": self._clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": self._region,
            "resources": [],
            "detail": envelope.model_dump(mode="json"),
        }
        return json.dumps(event, separators=(",", ":"))

    async def _send(self, bodies: list[str]) -> list[str | None]:
        entries = [{"Id": str(index), "MessageBody": body} for index, body in enumerate(bodies)]
        try:
            async with asyncio.timeout(self._timeout_seconds):
                response = await self._client.send_message_batch(
                    QueueUrl=self._queue_url, Entries=entries
                )
        except TimeoutError:
            return [f"Timeout: SendMessageBatch took over {self._timeout_seconds} s"] * len(bodies)
        # Whatever the SDK raised for this one call: nothing is known to be
        # accepted, so each entry failed.
        except Exception as error:
            return [describe_error(error)] * len(bodies)
        accepted = {answer.get("Id") for answer in response.get("Successful", [])}
        refused = {answer.get("Id"): answer for answer in response.get("Failed", [])}
        return [
            None
            if entry["Id"] in accepted
            else _entry_error(refused[entry["Id"]])
            if entry["Id"] in refused
            else "MissingEntry: no answer"
            for entry in entries
        ]


def _entry_error(answer: dict[str, Any]) -> str:
    code = answer.get("Code") or "Failed"
    return f"{code}: {answer.get('Message', '')}"[:ERROR_LENGTH]


def _account_of(queue_url: str) -> str:
    # https://sqs.<region>.amazonaws.com/<account>/<queue>
    parts = urlparse(queue_url).path.strip("/").split("/")
    return parts[0] if len(parts) == 2 else ""
