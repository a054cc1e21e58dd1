"""Turn any exception nothing else handled into a 500 problem.

Starlette sends unhandled errors to its outermost middleware, outside ours, so
that response would miss the request id. ``runtime.HttpRuntimeMiddleware``
calls this inside its request id and access log instead.
"""

from __future__ import annotations

import logging

from starlette.types import Receive, Scope, Send

from bazaar_common.http.problem import problem_response

logger = logging.getLogger("bazaar.http")


def log_unhandled(scope: Scope) -> None:
    """The exception being handled, with its traceback: the 500's body says nothing of it."""
    logger.exception("unhandled error", extra={"path": scope["path"]})


async def answer_internal_error(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        500,
        code="internal-error",
        title="Internal server error",
        detail="The server failed to handle the request; it has been logged.",
        instance=scope["path"],
    )
    await response(scope, receive, send)
