"""Database failures a client can retry become 503, not 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from starlette.responses import Response

from bazaar_common.http.problem import problem_response

logger = logging.getLogger("bazaar.db")


def _unavailable(request: Request, detail: str) -> Response:
    return problem_response(
        503,
        code="database-unavailable",
        title="Database unavailable",
        detail=detail,
        instance=request.url.path,
        headers={"Retry-After": "2"},
    )


async def _on_pool_timeout(request: Request, exc: Exception) -> Response:
    logger.warning("database pool exhausted")
    return _unavailable(request, "All database connections are busy; retry shortly.")


async def _on_database_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, sa_exc.DBAPIError)
    retryable = sa_exc.InterfaceError | sa_exc.OperationalError
    if exc.connection_invalidated or isinstance(exc, retryable):
        logger.warning("database connection failed: %s", type(exc.orig).__name__)
        return _unavailable(request, "The database cannot be reached; retry shortly.")
    raise exc


async def _on_connect_error(request: Request, exc: Exception) -> Response:
    logger.warning("database connection failed: %s", type(exc).__name__)
    return _unavailable(request, "The database cannot be reached; retry shortly.")


def install_database_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(sa_exc.TimeoutError, _on_pool_timeout)
    app.add_exception_handler(sa_exc.DBAPIError, _on_database_error)
    app.add_exception_handler(ConnectionError, _on_connect_error)
    app.add_exception_handler(TimeoutError, _on_connect_error)
