"""The error responses of a route, as its OpenAPI document states them.

Every route declares ``responses=problem_responses(...)`` with the error
classes it may answer with: its own, and the groups below for what the
platform adds around it. Each status gets the ``application/problem+json``
media type and the problem schema, so the document says what really comes
back (the contract fuzz in ``tests/contract`` holds every service to it).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bazaar_common.auth.errors import InvalidToken, KeysUnavailable, MissingToken
from bazaar_common.db.errors import DatabaseUnavailable
from bazaar_common.errors import Forbidden, InvalidInput, ProblemError
from bazaar_common.http.body_limit import BodyTooLarge
from bazaar_common.http.problem import PROBLEM_CONTENT_TYPE

ProblemClass = type[ProblemError]

# What the platform answers around a route's own code, by what the route does.
NEEDS_TOKEN: tuple[ProblemClass, ...] = (MissingToken, InvalidToken, KeysUnavailable)
NEEDS_ADMIN: tuple[ProblemClass, ...] = (*NEEDS_TOKEN, Forbidden)
USES_DATABASE: tuple[ProblemClass, ...] = (DatabaseUnavailable,)
# Path, query and header values that fail their declared types.
TAKES_PARAMETERS: tuple[ProblemClass, ...] = (InvalidInput,)
TAKES_BODY: tuple[ProblemClass, ...] = (InvalidInput, BodyTooLarge)


class Problem(BaseModel):
    """An RFC 9457 problem, as every error response of the platform carries it."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = Field(default=None, description="The path that was asked for")
    request_id: str | None = Field(default=None, description="Quote it when you report this")


PROBLEM_SCHEMA: dict[str, Any] = Problem.model_json_schema()


def problem_responses(*errors: ProblemClass) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses=`` of a route that may answer with ``errors``.

    Errors sharing a status are one response, described by each one's title
    and code; naming an error twice (through two groups) changes nothing.
    """
    by_status: dict[int, list[ProblemClass]] = {}
    for error in errors:
        documented = by_status.setdefault(error.status, [])
        if error not in documented:
            documented.append(error)
    return {
        status: {
            "description": "; ".join(f"{error.title} ({error.code})" for error in documented),
            "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for status, documented in sorted(by_status.items())
    }
