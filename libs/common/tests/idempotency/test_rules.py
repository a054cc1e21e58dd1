"""Idempotency keys: the header's rules, the fingerprint, and what each request may do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from bazaar_common.idempotency.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyInvalid,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
)
from bazaar_common.idempotency.rules import (
    Claim,
    IdempotencyRecord,
    KeyState,
    Replay,
    StoredResponse,
    checked_key,
    decide,
    fingerprint,
    new_claim,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
RETENTION = timedelta(hours=24)
BODY = {"lines": [{"sku": "MUG-1", "quantity": 2}], "card_token": "tok_visa"}


@pytest.mark.parametrize(
    "key", ["k", "a" * 255, "order-2026-12-01/1", " spaced key ", "'; DROP TABLE orders; --", "~!"]
)
def test_printable_ascii_keys_of_1_to_255_characters_are_accepted(key):
    assert checked_key(key) == key


def test_a_missing_key_is_its_own_error():
    with pytest.raises(IdempotencyKeyMissing):
        checked_key(None)


@pytest.mark.parametrize(
    "key", ["", "a" * 256, "nul\x00", "tab\t", "new\nline", "del\x7f", "clé", "\u2603", "é"]
)
def test_other_keys_are_invalid(key):
    with pytest.raises(IdempotencyKeyInvalid):
        checked_key(key)


def test_the_fingerprint_ignores_field_order_and_spacing_but_not_values():
    reordered = {"card_token": "tok_visa", "lines": [{"quantity": 2, "sku": "MUG-1"}]}
    assert fingerprint(BODY) == fingerprint(reordered)
    assert len(fingerprint(BODY)) == 64
    changed = {"lines": [{"sku": "MUG-1", "quantity": 3}], "card_token": "tok_visa"}
    assert fingerprint(changed) != fingerprint(BODY)
    other_card = {**BODY, "card_token": "tok_mastercard"}
    assert fingerprint(other_card) != fingerprint(BODY)


def claim(now: datetime = T0, fp: str | None = None) -> IdempotencyRecord:
    return new_claim(
        caller="alice",
        key="k1",
        request_fingerprint=fp or fingerprint(BODY),
        lease_token=uuid4(),
        now=now,
        lease=LEASE,
        retention=RETENTION,
    )


def completed(now: datetime = T0) -> IdempotencyRecord:
    response = StoredResponse(201, '{"id": "x"}', uuid4())
    return claim(now).completed(response, expires_at=now + RETENTION)


def test_a_new_key_is_claimed_with_a_lease():
    assert decide(None, fingerprint(BODY), T0) == Claim(takes_over=False)
    record = claim()
    assert record.state is KeyState.IN_PROGRESS
    assert record.lease_expires_at == T0 + LEASE
    assert record.expires_at == T0 + RETENTION


def test_a_completed_key_replays_the_same_request():
    record = completed()
    assert record.response is not None
    decision = decide(record, fingerprint(BODY), T0 + timedelta(hours=1))
    assert decision == Replay(record.response)
    assert record.lease_token is None


def test_a_completed_key_refuses_another_request():
    with pytest.raises(IdempotencyKeyReused):
        decide(completed(), fingerprint({**BODY, "card_token": "tok_other"}), T0)


def test_a_key_in_progress_with_a_live_lease_is_in_use():
    with pytest.raises(IdempotencyKeyInUse) as refused:
        decide(claim(), fingerprint(BODY), T0 + LEASE - timedelta(microseconds=1))
    assert refused.value.headers == {"Retry-After": "1"}
    with pytest.raises(IdempotencyKeyInUse):  # whatever the request
        decide(claim(), fingerprint({"other": 1}), T0)


def test_a_lapsed_lease_is_taken_over():
    assert decide(claim(), fingerprint(BODY), T0 + LEASE) == Claim(takes_over=True)
    assert decide(claim(), "other", T0 + LEASE) == Claim(takes_over=True)


def test_an_expired_key_counts_as_absent():
    later = T0 + RETENTION
    assert decide(completed(), fingerprint(BODY), later) == Claim(takes_over=True)
    assert decide(completed(), "another request", later) == Claim(takes_over=True)
