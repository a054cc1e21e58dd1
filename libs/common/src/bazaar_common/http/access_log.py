"""One log line per request with its status and duration (``ACCESS_LOG``)."""

from __future__ import annotations

import logging
import time

from starlette.types import Scope

logger = logging.getLogger("bazaar.access")


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request (FastAPI's scope["route"])."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else None


def access_logging() -> bool:
    """Whether a line would be written now (the level is checked per request, as it may change)."""
    return logger.isEnabledFor(logging.INFO)


def log_request(scope: Scope, status: int, started: float) -> None:
    """The line of a finished request; ``started`` is its ``time.perf_counter()`` at arrival."""
    logger.info(
        "request",
        extra={
            "method": scope["method"],
            "path": scope["path"],
            # The route's template as its router declares it ("/{order_id}",
            # without an include's prefix): with the service, what a query
            # groups by; unrouted requests (404s) have none.
            "route": route_template(scope),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
