"""Refuse request bodies over a limit before they are read in full.

A declared ``Content-Length`` over the limit is refused at once, before the
application runs. A chunked body is counted as it streams in and refused as
soon as it crosses the limit, so memory stays bounded either way.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from bazaar_common.errors import ProblemError
from bazaar_common.http.problem import problem_response


class BodyTooLarge(ProblemError):
    status = 413
    # Named after the status, as the framework's own errors are.
    code = "request-entity-too-large"
    title = "Request Entity Too Large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body exceeds the limit of {limit} bytes.")


class BodyOverflow(HTTPException):
    """Raised while the app reads the body, as an HTTPException: FastAPI turns any other
    error there into a 400, and the problem handlers turn this one into the 413 problem."""

    def __init__(self, problem: BodyTooLarge) -> None:
        super().__init__(problem.status, detail=problem.detail)


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def counting_receive(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises :class:`BodyOverflow` once the body read so far passes ``limit``."""
    received = 0

    async def receive_counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyOverflow(BodyTooLarge(limit))
        return message

    return receive_counted


async def refuse_body(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """The 413 problem; the connection is closed, as the rest of the body is not read."""
    problem = BodyTooLarge(limit)
    response = problem_response(
        problem.status,
        code=problem.code,
        title=problem.title,
        detail=problem.detail,
        instance=scope.get("path"),
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
