"""A use case run once per key: the claim, its effect and the response in one transaction.

For use cases that need nothing outside their database. A crash anywhere
rolls back all three together, so no effect is ever stored without its key
or its key without its effect, and no lease is ever left behind. A second
request with the key meanwhile waits on the key's row, then is told to retry
(409) and replays. A use case that must call out first (orders' placement)
commits its claim before and completes it after, under a lease instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from pydantic import BaseModel

from bazaar_common.clock import Clock, utc_now
from bazaar_common.idempotency.claim import KeyedRequest, KeyPolicy, claim_key
from bazaar_common.idempotency.rules import Replay, StoredResponse
from bazaar_common.idempotency.unit_of_work import KeyedUnitOfWork


@dataclass(frozen=True, slots=True)
class Answer:
    response: StoredResponse
    replayed: bool


async def answer_once(
    uow: KeyedUnitOfWork,
    request: KeyedRequest,
    act: Callable[[], Awaitable[BaseModel]],
    *,
    policy: KeyPolicy,
    status_code: int = 200,
    resource_id: UUID | None = None,
    clock: Clock = utc_now,
) -> Answer:
    """The stored answer to the key, or ``act``'s, stored with the key as it commits.

    ``act`` calls a use case on ``uow``; its block joins this one, so its
    commit waits for ours. A refusal it raises stores nothing: the client may
    fix the request, or retry, with the same key. ``resource_id`` names what
    the request acts on where the service's keys table keeps it.
    """
    async with uow:
        claimed = await claim_key(uow.idempotency, request, policy, clock())
        if isinstance(claimed, Replay):
            return Answer(claimed.response, replayed=True)
        response = StoredResponse(status_code, (await act()).model_dump_json(), resource_id)
        await uow.idempotency.replace(
            claimed.completed(response, expires_at=clock() + policy.retention)
        )
        await uow.commit()
    return Answer(response, replayed=False)
