"""Put envelopes on the bus: the port the relay publishes through, and its EventBridge adapter.

A publisher answers per envelope, because EventBridge does: one ``PutEvents``
call can accept some entries and refuse others, and only the refused ones may
be sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.send_batches import ERROR_LENGTH, describe_error, send_in_calls


class EventPublisher(Protocol):
    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        """One result per envelope, in the same order.

        ``None``: the bus accepted it. A string (``"Code: message"``): it was
        not accepted, or it is not known to have been; sending it again is
        always safe, since consumers deduplicate on the envelope id.
        """
        ...


class EventBridgePublisher:
    """Publishes with ``PutEvents``: at most 10 entries and 256 KiB per call.

    A call that fails as a whole (throttled beyond botocore's retries,
    endpoint unreachable, timed out) is not raised: it becomes the error of
    each entry it carried. The relay then treats it like any refused entry:
    the row keeps the reason (``last_error``, ``attempts``) where an operator
    looking at a stuck outbox finds it, the relay backs off, and entries that
    an earlier call of the same batch got accepted stay accepted instead of
    being sent twice.

    ``timeout_seconds`` bounds each call, botocore's own retries included:
    the relay holds its rows' locks and a transaction open across the call.
    """

    def __init__(self, events_client: Any, *, bus_name: str, timeout_seconds: float = 10.0) -> None:
        self._client = events_client
        self._bus_name = bus_name
        self._timeout_seconds = timeout_seconds

    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        entries = [self._entry(envelope) for envelope in envelopes]
        return await send_in_calls(
            envelopes,
            entries,
            [_entry_size(entry) for entry in entries],
            send=self._put,
            too_large=lambda size: f"EntryTooLarge: {size} bytes, PutEvents takes at most 256 KiB",
            system="aws_eventbridge",
            destination=self._bus_name,
        )

    def _entry(self, envelope: Envelope) -> dict[str, Any]:
        # No "Time": EventBridge stamps the event when it takes it, after the
        # outbox row committed. The archive's replay window selects by that
        # time, so replaying up to a restore point T brings back only events
        # whose rows the restored databases hold (docs/disaster-recovery.md);
        # the row's own time stays in the envelope (envelope.time).
        return {
            "Source": envelope.source,
            "DetailType": envelope.type,
            "Detail": envelope.model_dump_json(),
            "EventBusName": self._bus_name,
        }

    async def _put(self, entries: list[dict[str, Any]]) -> list[str | None]:
        try:
            async with asyncio.timeout(self._timeout_seconds):
                response = await self._client.put_events(Entries=entries)
        except TimeoutError:
            return [f"Timeout: PutEvents took over {self._timeout_seconds} s"] * len(entries)
        # Whatever the SDK raised for this one call (ClientError, connection and
        # read errors): nothing is known to be accepted, so each entry failed.
        except Exception as error:
            return [describe_error(error)] * len(entries)
        if not response.get("FailedEntryCount"):
            return [None] * len(entries)
        answered = response.get("Entries", [])
        return [
            _entry_error(answered[index]) if index < len(answered) else "MissingEntry: no answer"
            for index in range(len(entries))
        ]


def _entry_size(entry: dict[str, Any]) -> int:
    # AWS's own formula: UTF-8 bytes of the strings, plus 14 for the Time
    # EventBridge adds.
    strings = (entry["Source"], entry["DetailType"], entry["Detail"])
    return 14 + sum(len(value.encode()) for value in strings)


def _entry_error(answer: dict[str, Any]) -> str | None:
    code = answer.get("ErrorCode")
    if not code:
        return None
    return f"{code}: {answer.get('ErrorMessage', '')}"[:ERROR_LENGTH]
