"""What every batch sender of the relay shares: calls of bounded size, errors as short text.

PutEvents and SendMessageBatch both take at most 10 entries and 256 KiB a
call, and both answer per entry; the relay keeps each refused entry's reason
in its outbox row (``last_error``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

from opentelemetry import trace

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.publish_span import publish_span

Entry = TypeVar("Entry")
MAX_ENTRIES_PER_CALL = 10
MAX_REQUEST_BYTES = 256 * 1024
ERROR_LENGTH = 500


def chunks(sized: list[tuple[int, int]]) -> Iterator[list[int]]:
    """The indexes of (index, size) pairs in calls of at most 10 entries and 256 KiB, in order."""
    chunk: list[int] = []
    total = 0
    for index, size in sized:
        if chunk and (len(chunk) == MAX_ENTRIES_PER_CALL or total + size > MAX_REQUEST_BYTES):
            yield chunk
            chunk, total = [], 0
        chunk.append(index)
        total += size
    if chunk:
        yield chunk


def describe_error(error: Exception) -> str:
    """``Code: message`` of a failed call, short enough for the outbox row."""
    response = getattr(error, "response", None)  # botocore's ClientError
    if isinstance(response, dict) and "Error" in response:
        details = response["Error"]
        return f"{details.get('Code', 'ClientError')}: {details.get('Message', '')}"[:ERROR_LENGTH]
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


async def send_in_calls(
    envelopes: Sequence[Envelope],
    entries: Sequence[Entry],
    sizes: Sequence[int],
    *,
    send: Callable[[list[Entry]], Awaitable[list[str | None]]],
    too_large: Callable[[int], str],
    system: str,
    destination: str,
) -> list[str | None]:
    """One answer per envelope: its entry sent in bounded calls, each under a producer span.

    An entry over 256 KiB is never accepted, however often it is sent: it
    gets ``too_large(size)`` instead of a call.
    """
    results: list[str | None] = [None] * len(entries)
    sendable = []
    for index, size in enumerate(sizes):
        if size > MAX_REQUEST_BYTES:
            results[index] = too_large(size)
        else:
            sendable.append((index, size))
    for chunk in chunks(sendable):
        carried = [envelopes[index] for index in chunk]
        with publish_span(carried, system=system, destination=destination) as span:
            answers = await send([entries[index] for index in chunk])
            refused = sum(answer is not None for answer in answers)
            if refused:
                span.set_status(trace.StatusCode.ERROR, f"{refused} entries not accepted")
        for index, answer in zip(chunk, answers, strict=True):
            results[index] = answer
    return results
