"""A bounded queue of requests: past the limit, 503 at once instead of a long wait.

Every request a process accepts waits its turn on one event loop and one
database pool. Past ``MAX_IN_FLIGHT_REQUESTS`` at once, the next ones would
only queue (each behind the pool's own timeout) and answer late; refusing
them in microseconds with ``Retry-After`` lets the client or the balancer
go elsewhere or come back. The health routes are never refused: a busy
process is loaded, not broken, and must stay in the rotation.
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from bazaar_common.http.problem import problem_response

RETRY_AFTER_SECONDS = 1
# Eight times the database pool's default 10: enough to keep the pool busy
# through a burst, few enough that the last in line waits well under the
# pool's 5 s checkout timeout (a write takes 5-20 ms of a connection here).
DEFAULT_MAX_IN_FLIGHT_REQUESTS = 80
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})


class InFlightLimit:
    """Counts the requests being served; ``admit`` says whether one more may start."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0

    def admit(self, scope: Scope) -> bool:
        if self.in_flight >= self.limit and scope["path"] not in UNLIMITED_PATHS:
            return False
        self.in_flight += 1
        return True

    def release(self) -> None:
        self.in_flight -= 1


async def answer_overloaded(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        503,
        code="overloaded",
        title="Overloaded",
        detail="This instance is serving as many requests as it can; retry shortly.",
        instance=scope["path"],
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
    await response(scope, receive, send)
