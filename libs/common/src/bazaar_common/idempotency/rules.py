"""Idempotency keys with Stripe's semantics: what a request with a key may do.

A key is scoped to its caller (the token's subject). The first request
claims it with a lease, then completes it with its response; a retry with
the same request replays that response, a different request with the key is
refused, and a retry while the first still runs is told to come back. A
lease left by a crashed process runs out, and the next retry takes the key
over. Pure: the clock, the lease tokens and the storage belong to the caller.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from bazaar_common.idempotency.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyInvalid,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
)

MAX_KEY_LENGTH = 255


def checked_key(raw: str | None) -> str:
    """The header's value when it is 1 to 255 printable ASCII characters."""
    if raw is None:
        raise IdempotencyKeyMissing()
    if not 0 < len(raw) <= MAX_KEY_LENGTH or any(not " " <= char <= "~" for char in raw):
        raise IdempotencyKeyInvalid()
    return raw


def fingerprint(request: Mapping[str, Any]) -> str:
    """SHA-256 of the request's canonical JSON: same request, same fingerprint.

    Keys are sorted and spacing fixed, so field order and formatting on the
    wire do not matter; pass the validated body, with its defaults filled in,
    and the path parameters that name what the request acts on.
    """
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class KeyState(StrEnum):
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    body: str
    """The exact JSON text sent the first time, so a replay is byte for byte the same."""
    resource_id: UUID | None = None
    """What the request created, where its service keeps it (orders: the order)."""


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    caller: str
    key: str
    fingerprint: str
    state: KeyState
    lease_token: UUID | None
    lease_expires_at: datetime | None
    response: StoredResponse | None
    created_at: datetime
    expires_at: datetime

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    def lease_is_live(self, now: datetime) -> bool:
        return self.lease_expires_at is not None and now < self.lease_expires_at

    def completed(self, response: StoredResponse, *, expires_at: datetime) -> IdempotencyRecord:
        return replace(
            self,
            state=KeyState.COMPLETED,
            lease_token=None,
            lease_expires_at=None,
            response=response,
            expires_at=expires_at,
        )


@dataclass(frozen=True, slots=True)
class Replay:
    response: StoredResponse


@dataclass(frozen=True, slots=True)
class Claim:
    takes_over: bool
    """True when a record exists (expired, or a lease ran out) and is replaced."""


def decide(
    record: IdempotencyRecord | None, request_fingerprint: str, now: datetime
) -> Replay | Claim:
    """What a request with this key and fingerprint may do, given the key's record.

    Raises ``IdempotencyKeyReused`` (422) for another request under a
    completed key and ``IdempotencyKeyInUse`` (409) while a live lease runs.
    """
    if record is None:
        return Claim(takes_over=False)
    if record.is_expired(now):
        return Claim(takes_over=True)
    if record.state is KeyState.COMPLETED:
        assert record.response is not None
        if record.fingerprint != request_fingerprint:
            raise IdempotencyKeyReused()
        return Replay(record.response)
    if record.lease_is_live(now):
        raise IdempotencyKeyInUse()
    return Claim(takes_over=True)


def new_claim(
    *,
    caller: str,
    key: str,
    request_fingerprint: str,
    lease_token: UUID,
    now: datetime,
    lease: timedelta,
    retention: timedelta,
) -> IdempotencyRecord:
    return IdempotencyRecord(
        caller=caller,
        key=key,
        fingerprint=request_fingerprint,
        state=KeyState.IN_PROGRESS,
        lease_token=lease_token,
        lease_expires_at=now + lease,
        response=None,
        created_at=now,
        expires_at=now + retention,
    )
