"""Errors are values with a status.

Domain code raises a subclass of :class:`ProblemError`; the app turns it into an
RFC 9457 ``application/problem+json`` response. Nothing else needs to know
about HTTP, and the same classes feed the OpenAPI ``responses=`` of a route.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_TYPE_BASE = "https://bazaar.dev/problems/"


class ProblemError(Exception):
    """Base of every error that reaches a client with a meaningful status."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.extensions = extensions

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_BASE + self.code


class InvalidInput(ProblemError):
    status = 422
    code = "invalid-input"
    title = "The request is not valid"


class NotFound(ProblemError):
    status = 404
    code = "not-found"
    title = "Not found"


class Conflict(ProblemError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class Unauthorized(ProblemError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"


class Forbidden(ProblemError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class ServiceUnavailable(ProblemError):
    status = 503
    code = "service-unavailable"
    title = "Temporarily unavailable"

    def __init__(self, detail: str | None = None, *, retry_after_seconds: int = 5) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_seconds)})
