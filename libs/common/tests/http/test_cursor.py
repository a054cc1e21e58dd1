"""Cursors read back exactly what they were written from, and nothing else."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from bazaar_common.http.cursor import MAX_CURSOR_LENGTH, InvalidCursor, KeysetCursor


@dataclass(frozen=True)
class Position:
    time: datetime
    row_id: UUID


@dataclass(frozen=True)
class Named:
    name: str
    rank: int


CURSOR = KeysetCursor(Position)
NAMED = KeysetCursor(Named)
POSITION = Position(
    datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=UTC),
    UUID("0193a0c4-1234-7abc-8def-0123456789ab"),
)
GOOD = CURSOR.encode(POSITION)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def written(*values: object) -> str:
    return b64(json.dumps(list(values), separators=(",", ":")))


def test_a_cursor_reads_back_as_its_position():
    assert CURSOR.decode(GOOD) == POSITION


def test_the_written_form_is_the_documented_one():
    assert base64.urlsafe_b64decode(GOOD + "==") == (
        b'["2026-12-01T10:00:00.123456+00:00","0193a0c4-1234-7abc-8def-0123456789ab"]'
    )
    assert "=" not in GOOD


def test_a_position_in_another_offset_is_the_same_cursor():
    elsewhere = Position(POSITION.time.astimezone(timezone(timedelta(hours=2))), POSITION.row_id)
    assert CURSOR.encode(elsewhere) == GOOD


@pytest.mark.parametrize("position", [Named("MUG-1", 0), Named('caf\u00e9 "q" | ,', -(2**63))])
def test_text_and_integers_read_back(position):
    assert NAMED.decode(NAMED.encode(position)) == position


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "\u00e9t\u00e9",
        "W10",  # []
        GOOD[:-3],  # truncated
        GOOD + "A",  # extended
        GOOD + "==",  # re-padded
        GOOD.replace(GOOD[5], "*"),  # outside the alphabet
        GOOD[:-1] + chr(ord(GOOD[-1]) + 1),  # the same bytes, other unused bits
        "Q" * (MAX_CURSOR_LENGTH + 1),
        b64('["2026-12-01T10:00:00.123456+00:00", "0193a0c4-1234-7abc-8def-0123456789ab"]'),
        written("2026-12-01T10:00:00.123456+00:00"),  # no id
        written("2026-12-01T10:00:00.123456+00:00", "0193a0c4-1234-7abc-8def-0123456789ab", 1),
        written("2026-12-01T10:00:00.123456", "0193a0c4-1234-7abc-8def-0123456789ab"),  # naive
        written("2026-12-01T12:00:00.123456+02:00", "0193a0c4-1234-7abc-8def-0123456789ab"),
        written("2026-12-01T10:00:00+00:00", "0193a0c4-1234-7abc-8def-0123456789ab"),
        written("yesterday", "0193a0c4-1234-7abc-8def-0123456789ab"),
        written("0001-01-01T00:00:00.000000+14:00", "0193a0c4-1234-7abc-8def-0123456789ab"),
        written(1764583200, "0193a0c4-1234-7abc-8def-0123456789ab"),
        written("2026-12-01T10:00:00.123456+00:00", "not-a-uuid"),
        written("2026-12-01T10:00:00.123456+00:00", "0193A0C4-1234-7ABC-8DEF-0123456789AB"),
        written("2026-12-01T10:00:00.123456+00:00", None),
        b64('{"t":"2026-12-01T10:00:00.123456+00:00","id":"x"}'),
        base64.urlsafe_b64encode(b"\xff\xfe[]").decode(),
    ],
)
def test_anything_else_is_refused(cursor):
    with pytest.raises(InvalidCursor):
        CURSOR.decode(cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        written("nul\u0000byte", 1),
        written("\ud800", 1),  # a lone surrogate
        written("x", True),
        written("x", 1.0),
        written("x", 2**63),
        b64('["x",NaN]'),
        b64('["\\u004d",1]'),  # an escape JSON does not write
    ],
)
def test_text_and_integers_are_only_what_a_query_can_take(cursor):
    with pytest.raises(InvalidCursor):
        NAMED.decode(cursor)


def test_a_refusal_is_one_problem():
    with pytest.raises(InvalidCursor) as refused:
        CURSOR.decode("nope")
    assert (refused.value.status, refused.value.code) == (422, "invalid-cursor")
    assert refused.value.detail == "The cursor is not one this API returned."


def test_only_dataclasses_of_known_field_types_are_positions():
    @dataclass
    class Floating:
        at: float

    with pytest.raises(TypeError):
        KeysetCursor(Floating)
    with pytest.raises(TypeError):
        KeysetCursor(dict)
