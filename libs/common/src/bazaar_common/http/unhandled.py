"""Turn any exception nothing else handled into a 500 problem.

Starlette sends unhandled errors to its outermost middleware, outside ours, so
that response would miss the request id. This sits innermost instead.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bazaar_common.http.problem import problem_response

logger = logging.getLogger("bazaar.http")


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope["path"]})
            if response_started:
                raise
            response = problem_response(
                500,
                code="internal-error",
                title="Internal server error",
                detail="The server failed to handle the request; it has been logged.",
                instance=scope["path"],
            )
            await response(scope, receive, send)
