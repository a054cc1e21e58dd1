"""Database failures a client can retry become 503 with Retry-After, not 500.

Connection failures surface as :class:`DatabaseUnavailable` from the unit of
work; failures reported by the server are told apart by their SQLSTATE.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from starlette.responses import Response

from bazaar_common.errors import ServiceUnavailable
from bazaar_common.http.problem import problem_response

logger = logging.getLogger("bazaar.db")

# SQLSTATE classes and codes that say "try again later", not "your request is wrong":
# connection exceptions, insufficient resources, operator intervention (shutdown,
# statement timeout), serialization failures and deadlocks.
_TRANSIENT_CLASSES = ("08", "53", "57")
_TRANSIENT_CODES = frozenset({"40001", "40P01", "55P03"})


class DatabaseUnavailable(ServiceUnavailable):
    code = "database-unavailable"
    title = "Database unavailable"

    def __init__(self, detail: str = "The database cannot be reached; retry shortly.") -> None:
        super().__init__(detail, retry_after_seconds=2)


POOL_EXHAUSTED = "All database connections are busy; retry shortly."
STATEMENT_FAILED = "The database could not complete the request; retry shortly."


def is_transient_sqlstate(sqlstate: str | None) -> bool:
    """Whether a server error says "try again later" (shared with the read pool)."""
    sqlstate = sqlstate or ""
    return sqlstate.startswith(_TRANSIENT_CLASSES) or sqlstate in _TRANSIENT_CODES


def is_transient(error: sa_exc.DBAPIError) -> bool:
    if error.connection_invalidated or isinstance(error, sa_exc.InterfaceError):
        return True
    return is_transient_sqlstate(getattr(error.orig, "sqlstate", None))


def _unavailable(request: Request, detail: str) -> Response:
    problem = DatabaseUnavailable(detail)
    return problem_response(
        problem.status,
        code=problem.code,
        title=problem.title,
        detail=problem.detail,
        instance=request.url.path,
        headers=problem.headers,
    )


async def _on_pool_timeout(request: Request, exc: Exception) -> Response:
    logger.warning("database pool exhausted")
    return _unavailable(request, POOL_EXHAUSTED)


async def _on_database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, sa_exc.DBAPIError)
    if not is_transient(exc):
        raise exc
    logger.warning(
        "database error, answered 503",
        extra={"error": type(exc.orig).__name__, "sqlstate": getattr(exc.orig, "sqlstate", None)},
    )
    return _unavailable(request, STATEMENT_FAILED)


def install_database_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(sa_exc.TimeoutError, _on_pool_timeout)
    app.add_exception_handler(sa_exc.DBAPIError, _on_database_error)
