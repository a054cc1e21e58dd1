"""One archived event, and a batch of them as bytes: gzipped JSON lines.

Each line is the envelope as it travelled, with ``received_at`` (when the
audit store took it) beside its fields: flat, so a query engine reads the
envelope's fields as columns. The bytes of a batch depend only on its
events: sorted keys, events in (time, id) order, no timestamp in the gzip
header. Writing a batch again after a crash gives the same object.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from bazaar_common.messaging.envelope import Envelope

RECEIVED_AT = "received_at"


class CorruptBatch(ValueError):
    """An archived object that is not gzipped JSON lines of envelopes."""


@dataclass(frozen=True)
class ArchivedEvent:
    envelope: Envelope
    received_at: datetime

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.envelope.time, str(self.envelope.id))

    def to_line(self) -> str:
        fields = self.envelope.model_dump(mode="json")
        fields[RECEIVED_AT] = self.received_at.isoformat()
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_line(cls, line: str) -> ArchivedEvent:
        fields = json.loads(line)
        received_at = datetime.fromisoformat(fields.pop(RECEIVED_AT))
        return cls(Envelope.model_validate(fields), received_at)


def encode_batch(events: Iterable[ArchivedEvent]) -> bytes:
    ordered = sorted(events, key=lambda event: event.sort_key)
    text = "".join(event.to_line() + "\n" for event in ordered)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def decode_batch(body: bytes, *, key: str = "") -> list[ArchivedEvent]:
    try:
        text = gzip.decompress(body).decode("utf-8")
        return [ArchivedEvent.from_line(line) for line in text.splitlines() if line]
    except (OSError, EOFError, UnicodeDecodeError, ValueError, KeyError, ValidationError) as error:
        raise CorruptBatch(f"{key or 'batch'}: {error}") from error
