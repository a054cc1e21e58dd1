"""Opaque keyset cursors: clients pass them back, never build them.

A cursor is the position of a page's last row: a frozen dataclass whose
fields are aware datetimes, UUIDs, text or integers. Its written form is the
base64url (no padding) of the compact JSON array of those fields in declaration
order, each in one canonical text: a datetime in UTC with microseconds
(``2026-12-01T10:00:00.000000+00:00``), a UUID in lower-case hyphenated form,
text and integers as JSON writes them (ASCII, escaped). No cursor is longer
than :data:`MAX_CURSOR_LENGTH`.

Only the exact text this module writes is read back: a cursor is decoded, then
written again, and refused unless both are the same. Anything else (truncated,
re-padded, re-encoded, another offset, upper-case ids) is one
:class:`InvalidCursor`, never a guess and never a database error.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import typing
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query

from bazaar_common.errors import InvalidInput

MAX_CURSOR_LENGTH = 200
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
# Postgres keeps integers in 64 bits; a bigger one would fail in the query, not here.
_INT64 = range(-(2**63), 2**63)

PositionT = TypeVar("PositionT")

CursorQuery = Annotated[
    str | None,
    Query(
        description=(
            f"The `next_cursor` of the previous page, as it was given (at most "
            f"{MAX_CURSOR_LENGTH} characters); any other text is refused"
        )
    ),
]
"""The ``cursor`` query parameter of a paginated route; its checks are the codec's."""


class InvalidCursor(InvalidInput):
    code = "invalid-cursor"
    title = "Invalid cursor"

    def __init__(self) -> None:
        super().__init__("The cursor is not one this API returned.")


def _write_datetime(value: datetime) -> str:
    if value.utcoffset() is None:
        raise ValueError("a cursor's datetime must be aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _read_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a datetime")
    parsed = datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise ValueError("a cursor's datetime is aware")
    return parsed


def _read_uuid(value: object) -> UUID:
    if not isinstance(value, str):
        raise ValueError("not a UUID")
    return UUID(value)


def _read_text(value: object) -> str:
    # Control characters and lone surrogates never reach a query: Postgres refuses NUL.
    if not isinstance(value, str) or any(
        unicodedata.category(char) in ("Cc", "Cs") for char in value
    ):
        raise ValueError("not printable text")
    return value


def _read_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in _INT64:
        raise ValueError("not a 64-bit integer")
    return value


Writer = Callable[[Any], object]
Reader = Callable[[object], Any]
_FIELD_TYPES: dict[type, tuple[Writer, Reader]] = {
    datetime: (_write_datetime, _read_datetime),
    UUID: (str, _read_uuid),
    str: (str, _read_text),
    int: (int, _read_int),
}


class KeysetCursor(Generic[PositionT]):
    """The codec of one kind of page position: ``KeysetCursor(PagePosition)``."""

    def __init__(self, position: type[PositionT]) -> None:
        if not dataclasses.is_dataclass(position):
            raise TypeError(f"{position.__name__} is not a dataclass")
        hints = typing.get_type_hints(position)
        self._position = position
        self._fields: list[tuple[str, Writer, Reader]] = []
        for field in dataclasses.fields(position):
            field_type = hints[field.name]
            if field_type not in _FIELD_TYPES:
                raise TypeError(f"{position.__name__}.{field.name}: a cursor holds no {field_type}")
            self._fields.append((field.name, *_FIELD_TYPES[field_type]))

    def encode(self, position: PositionT) -> str:
        values = [write(getattr(position, name)) for name, write, _ in self._fields]
        text = json.dumps(values, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
        cursor = base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")
        if len(cursor) > MAX_CURSOR_LENGTH:
            # Our own positions are short; a long one is a bug to see, not a page to lose.
            raise ValueError(f"a cursor of {len(cursor)} characters is over the limit")
        return cursor

    def decode(self, cursor: str) -> PositionT:
        """The position ``cursor`` was written from; :class:`InvalidCursor` for anything else."""
        if len(cursor) > MAX_CURSOR_LENGTH or not _BASE64URL.fullmatch(cursor):
            raise InvalidCursor()
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw.decode("ascii"))
            if not isinstance(values, list) or len(values) != len(self._fields):
                raise ValueError("not this cursor's fields")
            position = self._position(
                *(read(value) for (_, _, read), value in zip(self._fields, values, strict=True))
            )
            rewritten = self.encode(position)
        except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeError):
            raise InvalidCursor() from None
        if rewritten != cursor:
            raise InvalidCursor()
        return position
