"""Opaque pagination cursors: clients pass them back, never build them.

A cursor is the position of a page's last event, base64url-encoded. Only the
exact form this module writes is read back; anything else (truncated,
edited, re-padded) is refused with a 422 rather than guessed at.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from uuid import UUID

from bazaar_audit.domain.model import Position
from bazaar_common.errors import InvalidInput

MAX_CURSOR_LENGTH = 200
_SEPARATOR = "|"


class InvalidCursor(InvalidInput):
    code = "invalid-cursor"
    title = "Invalid cursor"

    def __init__(self) -> None:
        super().__init__("The cursor is not one this API returned.")


def encode_cursor(position: Position) -> str:
    text = f"{position.time.astimezone(UTC).isoformat()}{_SEPARATOR}{position.event_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True).decode()
        time_text, event_id_text = text.split(_SEPARATOR)
        position = Position(datetime.fromisoformat(time_text), UUID(event_id_text))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidCursor() from None
    if position.time.tzinfo is None or encode_cursor(position) != cursor:
        raise InvalidCursor()
    return position
