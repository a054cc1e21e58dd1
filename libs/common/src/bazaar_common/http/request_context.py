"""A request id for every request: taken from the caller when sane, else new.

The id lives in a context variable so logs and problem responses can carry it
without threading it through every call. ``runtime.HttpRuntimeMiddleware``
binds it for each request.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

from starlette.types import Scope

REQUEST_ID_HEADER = b"x-request-id"
# A caller-supplied id goes into logs verbatim, so only a short, plain token is
# trusted; anything else is replaced rather than sanitised.
_ACCEPTABLE_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
_request_id: ContextVar[str | None] = ContextVar("bazaar_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def incoming_request_id(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` if it is a plain token, else a new random id."""
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and _ACCEPTABLE_ID.match(value):
            return str(value, "ascii")
    return uuid.uuid4().hex


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make ``request_id`` current until ``unbind_request_id`` with the token returned."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)
