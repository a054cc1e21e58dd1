"""Opaque pagination cursors: clients pass them back, never build them."""

from __future__ import annotations

import base64
import binascii
import re

from bazaar_common.errors import InvalidInput
from bazaar_inventory.entrypoints.schemas import SKU_PATTERN

_SKU = re.compile(SKU_PATTERN)


def encode_cursor(last_sku: str) -> str:
    return base64.urlsafe_b64encode(last_sku.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sku = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (ValueError, binascii.Error, UnicodeError):
        sku = ""
    if not _SKU.fullmatch(sku):
        raise InvalidInput("The cursor is not one this API returned.")
    return sku
