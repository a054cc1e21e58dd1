"""Cursors read back exactly what they were written from, and nothing else."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from bazaar_audit.domain.model import Position
from bazaar_audit.entrypoints.cursor import InvalidCursor, decode_cursor, encode_cursor

POSITION = Position(
    datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=UTC),
    UUID("0193a0c4-1234-7abc-8def-0123456789ab"),
)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_cursor_reads_back_as_its_position():
    assert decode_cursor(encode_cursor(POSITION)) == POSITION


def test_a_position_in_another_offset_is_the_same_cursor():
    elsewhere = Position(POSITION.time.astimezone(timezone(timedelta(hours=2))), POSITION.event_id)
    assert encode_cursor(elsewhere) == encode_cursor(POSITION)


GOOD = encode_cursor(POSITION)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        GOOD[:-3],  # truncated
        GOOD + "A",  # extended
        GOOD + "==",  # re-padded
        GOOD.replace(GOOD[5], "*"),  # outside the alphabet
        b64("2026-12-01T10:00:00+00:00"),  # no id
        b64("2026-12-01T10:00:00|0193a0c4-1234-7abc-8def-0123456789ab"),  # naive time
        b64("yesterday|0193a0c4-1234-7abc-8def-0123456789ab"),
        b64("2026-12-01T10:00:00+00:00|not-a-uuid"),
        b64("2026-12-01T10:00:00+00:00|0193A0C4-1234-7ABC-8DEF-0123456789AB"),  # not our form
        b64("2026-12-01T10:00:00+00:00|0193a0c4-1234-7abc-8def-0123456789ab|x"),
        base64.urlsafe_b64encode(b"\xff\xfe|\x00").decode(),
    ],
)
def test_anything_else_is_refused(cursor):
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)
