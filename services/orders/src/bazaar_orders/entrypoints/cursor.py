"""Opaque keyset cursors for order pages: clients pass them back, never build them."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from bazaar_common.errors import InvalidInput
from bazaar_orders.adapters.order_repository import PagePosition


def encode_cursor(position: PagePosition) -> str:
    document = {"t": position.created_at.isoformat(), "id": str(position.order_id)}
    raw = json.dumps(document, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> PagePosition:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        # validate=True: characters outside the alphabet are refused, not skipped.
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        document = json.loads(raw)
        if not isinstance(document, dict) or set(document) != {"t", "id"}:
            raise ValueError("not a cursor")
        created_at = datetime.fromisoformat(document["t"])
        if created_at.tzinfo is None:
            raise ValueError("a cursor's time is aware")
        return PagePosition(created_at, UUID(document["id"]))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise InvalidInput("The cursor is not one this API returned.") from None
