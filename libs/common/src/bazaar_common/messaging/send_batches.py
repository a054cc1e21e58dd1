"""What every batch sender of the relay shares: calls of bounded size, errors as short text.

PutEvents and SendMessageBatch both take at most 10 entries and 256 KiB a
call, and both answer per entry; the relay keeps each refused entry's reason
in its outbox row (``last_error``).
"""

from __future__ import annotations

from collections.abc import Iterator

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
