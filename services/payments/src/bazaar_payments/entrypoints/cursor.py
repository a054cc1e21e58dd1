"""Opaque pagination cursors: clients pass them back, never build them."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from uuid import UUID

from bazaar_common.errors import InvalidInput
from bazaar_payments.adapters.payment_repository import PageKey

MAX_CURSOR_LENGTH = 200


def encode_cursor(key: PageKey) -> str:
    text = f"{key.created_at.isoformat()}|{key.payment_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> PageKey:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        created_at, payment_id = text.split("|")
        key = PageKey(datetime.fromisoformat(created_at), UUID(payment_id))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidInput("The cursor is not one this API returned.") from None
    if key.created_at.tzinfo is None:
        raise InvalidInput("The cursor is not one this API returned.")
    return key
