"""Claiming a key: the first step of every request under an idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from bazaar_common.idempotency.errors import IdempotencyKeyInUse
from bazaar_common.idempotency.repository import IdempotencyRepository
from bazaar_common.idempotency.rules import IdempotencyRecord, Replay, decide, new_claim


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    caller: str
    """The token's subject: one caller's keys never meet another's."""
    key: str
    fingerprint: str
    """Of the validated request, see ``rules.fingerprint``."""


@dataclass(frozen=True, slots=True)
class KeyPolicy:
    lease: timedelta
    """How long a claim holds the key before a retry may take it over."""
    retention: timedelta
    """How long a completed key replays its response."""


async def claim_key(
    keys: IdempotencyRepository, request: KeyedRequest, policy: KeyPolicy, now: datetime
) -> Replay | IdempotencyRecord:
    """The stored response to replay, or our claim on the key (written, not committed).

    Raises what ``decide`` raises, and ``IdempotencyKeyInUse`` when a
    concurrent first request inserted the key before us.
    """
    existing = await keys.get(request.caller, request.key, for_update=True)
    decision = decide(existing, request.fingerprint, now)
    if isinstance(decision, Replay):
        return decision
    claim = new_claim(
        caller=request.caller,
        key=request.key,
        request_fingerprint=request.fingerprint,
        lease_token=uuid4(),
        now=now,
        lease=policy.lease,
        retention=policy.retention,
    )
    if decision.takes_over:
        await keys.replace(claim)
    elif not await keys.insert(claim):
        raise IdempotencyKeyInUse()
    return claim
