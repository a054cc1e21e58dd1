"""What a route under an idempotency key takes and answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response

from bazaar_common.auth import Principal
from bazaar_common.idempotency.claim import KeyedRequest, KeyPolicy
from bazaar_common.idempotency.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyInvalid,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
)
from bazaar_common.idempotency.once import Answer
from bazaar_common.idempotency.rules import MAX_KEY_LENGTH, checked_key, fingerprint
from bazaar_common.idempotency.settings import IdempotentServiceSettings

TAKES_IDEMPOTENCY_KEY = (
    IdempotencyKeyMissing,
    IdempotencyKeyInvalid,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
)
"""The refusals of the header, for a route's ``problem_responses``."""

REPLAYED_HEADER = "Idempotent-Replayed"
JSON = "application/json"


async def idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=(
                f"1 to {MAX_KEY_LENGTH} printable ASCII characters, unique per operation: "
                "a retry with the same key and request replays the first answer"
            ),
        ),
    ] = None,
) -> str:
    # Checked here rather than by FastAPI so the refusals are our own problems.
    return checked_key(idempotency_key)


async def idempotency_policy(request: Request) -> KeyPolicy:
    settings: IdempotentServiceSettings = request.app.state.settings
    return settings.idempotency_policy


IdempotencyKey = Annotated[str, Depends(idempotency_key)]
IdempotencyPolicy = Annotated[KeyPolicy, Depends(idempotency_policy)]


def keyed(principal: Principal, key: str, request: Mapping[str, Any]) -> KeyedRequest:
    """``key`` of ``principal`` for ``request``: the validated body and the path's names."""
    return KeyedRequest(principal.subject, key, fingerprint(request))


def answer_response(answer: Answer, headers: Mapping[str, str] | None = None) -> Response:
    """The stored JSON text as it is, with ``Idempotent-Replayed: true`` on a replay."""
    sent = dict(headers or {})
    if answer.replayed:
        sent[REPLAYED_HEADER] = "true"
    return Response(
        answer.response.body,
        status_code=answer.response.status_code,
        media_type=JSON,
        headers=sent,
    )
