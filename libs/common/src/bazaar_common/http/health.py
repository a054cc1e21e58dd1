"""Liveness and readiness, the two questions a load balancer and ECS ask.

``/healthz`` says the process runs. ``/readyz`` says it can do its job: the
database answers and its schema is at the revision this code expects. A task
whose database is down leaves the target group instead of failing requests.

The check has its own one-connection pool: a task whose request pool is busy
is loaded, not broken, and must not be pulled out of the load balancer.
A database migrated ahead by a newer release still counts as ready, so a
rolling deployment does not take the old tasks out before the new ones serve.
A process draining after SIGTERM is not ready either (``draining``), so the
balancer stops sending before it stops serving.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from bazaar_common.db.migrations import SchemaState, current_revision
from bazaar_common.http.draining import drain_state
from bazaar_common.http.problem import problem_response

logger = logging.getLogger("bazaar.health")
READINESS_TIMEOUT_SECONDS = 2.0

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    state = request.app.state
    checks: dict[str, Any] = {}
    if drain_state.draining:
        checks["process"] = "draining: shutting down"
        return _not_ready(checks)
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            async with state.health_engine.connect() as connection:
                revision = await current_revision(connection)
    except Exception as error:  # any failure means "not ready", with the reason
        logger.warning("readiness: database unreachable: %s", type(error).__name__)
        checks["database"] = f"unreachable: {type(error).__name__}"
        return _not_ready(checks)
    checks["database"] = "ok"
    schema_state = state.schema.state_of(revision)
    if schema_state is SchemaState.BEHIND:
        checks["migrations"] = f"at {revision}, expected {state.schema.head}"
        return _not_ready(checks)
    checks["migrations"] = "ok" if schema_state is SchemaState.CURRENT else f"ahead at {revision}"
    return JSONResponse({"status": "ok", "checks": checks})


def _not_ready(checks: dict[str, Any]) -> Response:
    return problem_response(
        503,
        code="not-ready",
        title="Not ready",
        detail="A dependency of this service is not ready; see checks.",
        instance="/readyz",
        headers={"Retry-After": "5"},
        checks=checks,
    )
