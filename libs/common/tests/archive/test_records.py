"""A batch is gzipped JSON lines, its bytes fixed by its events alone."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from bazaar_common.archive.records import ArchivedEvent, CorruptBatch, decode_batch, encode_batch
from bazaar_common.testing.archive import archived_event

T0 = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def archived(seconds: float) -> ArchivedEvent:
    return archived_event(
        T0 + timedelta(seconds=seconds),
        data={"total_minor": 1000, "currency": "EUR"},
        received_after=timedelta(seconds=0.25),
    )


def test_a_batch_reads_back_as_written_in_time_order():
    later, earlier = archived(5), archived(1)

    assert decode_batch(encode_batch([later, earlier])) == [earlier, later]


def test_the_same_events_in_any_order_give_the_same_bytes():
    events = [archived(seconds) for seconds in (3, 1, 2)]

    assert encode_batch(events) == encode_batch(reversed(events))


def test_each_line_is_the_envelope_with_when_it_was_received():
    event = archived(1)

    (line,) = gzip.decompress(encode_batch([event])).decode().splitlines()

    assert json.loads(line) == {
        **event.envelope.model_dump(mode="json"),
        "received_at": event.received_at.isoformat(),
    }


@pytest.mark.parametrize(
    "body",
    [
        b"not gzip",
        gzip.compress(b"not json\n"),
        gzip.compress(b'{"id": "x"}\n'),
        gzip.compress(b"\xff\xfe\n"),
    ],
    ids=["not-gzip", "not-json", "not-an-envelope", "not-utf8"],
)
def test_an_object_that_is_not_a_batch_is_refused_by_name(body):
    with pytest.raises(CorruptBatch, match=r"events/x\.jsonl\.gz"):
        decode_batch(body, key="events/x.jsonl.gz")
