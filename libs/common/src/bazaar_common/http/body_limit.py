"""Refuse request bodies over a limit before they are read in full.

A declared ``Content-Length`` over the limit is refused at once, before the
application runs. A chunked body is counted as it streams in and refused as
soon as it crosses the limit, so memory stays bounded either way.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bazaar_common.errors import ProblemError
from bazaar_common.http.problem import problem_response


class BodyTooLarge(ProblemError):
    status = 413
    # Named after the status, as the framework's own errors are.
    code = "request-entity-too-large"
    title = "Request Entity Too Large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body exceeds the limit of {limit} bytes.")


class _BodyOverflow(HTTPException):
    """Raised while the app reads the body: FastAPI turns any other error there into a 400."""

    def __init__(self, problem: BodyTooLarge) -> None:
        super().__init__(problem.status, detail=problem.detail)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyOverflow(BodyTooLarge(limit))
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyOverflow:
            # Raised where no exception handler could turn it into a response.
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = BodyTooLarge(self.max_body_bytes)
        response = problem_response(
            problem.status,
            code=problem.code,
            title=problem.title,
            detail=problem.detail,
            instance=scope.get("path"),
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
