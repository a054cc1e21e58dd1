"""UUIDv7 (RFC 9562): time-ordered ids, so event ids sort by creation time."""

from __future__ import annotations

import os
import time
import uuid


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    """48 bits of Unix milliseconds, version 7, then 74 random bits."""
    millis = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    value = (millis & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # variant RFC 4122/9562
    return uuid.UUID(int=value)
