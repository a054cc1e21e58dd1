"""The app factory every service uses, so they all behave alike.

A service hands in its catalog entry, its settings, its routers and its
migrations; it gets back an app with the runtime contract built in: health
and readiness, problem+json errors, body limits, request ids, JSON logs,
OpenTelemetry (``observability``), a database engine migrated to head, an
asyncpg pool for the hot reads (``db.read_pool``), and token verification.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI

from bazaar_common.auth.jwks import JwksKeySet
from bazaar_common.auth.verifier import TokenVerifier
from bazaar_common.catalog import ServiceEntry
from bazaar_common.db.engine import create_engine
from bazaar_common.db.errors import install_database_error_handlers
from bazaar_common.db.migrations import SchemaExpectation, upgrade_to_head
from bazaar_common.db.read_pool import create_read_pool
from bazaar_common.heap import freeze_startup_objects
from bazaar_common.http import health, operations
from bazaar_common.http.in_flight import DEFAULT_MAX_IN_FLIGHT_REQUESTS
from bazaar_common.http.problem import install_problem_handlers
from bazaar_common.http.runtime import HttpRuntimeMiddleware
from bazaar_common.logging import configure_logging
from bazaar_common.messaging.runtime import ServiceMessaging, running_messaging
from bazaar_common.observability import (
    configure_observability,
    fastapi_telemetry,
    instrument_app,
    instrument_engine,
)
from bazaar_common.settings import ServiceSettings

JWKS_FETCH_TIMEOUT = httpx.Timeout(3.0, connect=2.0)

AppResource = Callable[[FastAPI], AbstractAsyncContextManager[None]]
"""Something a service runs for the app's lifetime: a client pool, a periodic job.

Entered in order once the engine is on ``app.state`` and the messaging
runtime has started; left in reverse order before messaging stops.
"""


def create_service_app(
    *,
    entry: ServiceEntry,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    migrations: str,
    messaging: ServiceMessaging | None = None,
    resources: Sequence[AppResource] = (),
    version: str = "0.1.0",
) -> FastAPI:
    configure_logging(entry.name, settings.log_level)
    telemetry = configure_observability(entry.name)
    schema = SchemaExpectation.of(migrations)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings, application_name=entry.name)
        instrument_engine(engine, telemetry)
        health_engine = create_engine(
            settings, application_name=f"{entry.name}-health", pool_size=1
        )
        read_pool = await create_read_pool(settings, application_name=f"{entry.name}-reads")
        jwks_http = httpx.AsyncClient(timeout=JWKS_FETCH_TIMEOUT)
        try:
            if settings.run_migrations:
                await upgrade_to_head(engine, migrations)
            app.state.engine = engine
            app.state.health_engine = health_engine
            app.state.read_pool = read_pool
            app.state.schema = schema
            app.state.token_verifier = TokenVerifier(
                JwksKeySet(
                    settings.jwks_url,
                    http=jwks_http,
                    refetch_cooldown_seconds=settings.auth_jwks_cooldown_seconds,
                    max_age_seconds=settings.auth_jwks_max_age_seconds,
                ),
                issuer=settings.auth_issuer,
                client_ids=settings.auth_client_ids,
                leeway_seconds=settings.auth_leeway_seconds,
            )
            async with AsyncExitStack() as background:
                if messaging is not None:
                    app.state.queue_status = await background.enter_async_context(
                        running_messaging(entry, settings, engine, messaging)
                    )
                for resource in resources:
                    await background.enter_async_context(resource(app))
                freeze_startup_objects()
                yield
        finally:
            await jwks_http.aclose()
            await read_pool.close()
            await engine.dispose()
            await health_engine.dispose()

    prefix = entry.route.path_prefix
    app = FastAPI(
        title=f"Bazaar {entry.name}",
        description=entry.description,
        version=version,
        lifespan=lifespan,
        # Served under the service's own prefix so they are reachable through
        # the load balancer, which routes by that prefix only.
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=None,
        telemetry=fastapi_telemetry(telemetry),
    )
    app.state.settings = settings
    app.state.entry = entry
    install_http_runtime(
        app,
        max_body_bytes=settings.max_body_bytes,
        access_log=settings.access_log,
        max_in_flight=settings.max_in_flight_requests,
    )
    install_database_error_handlers(app)
    app.include_router(health.router)
    app.include_router(operations.router, prefix=prefix)
    for router in routers:
        app.include_router(router, prefix=prefix)
    # Outermost, around the request id and error middleware (as FastAPI's
    # telemetry is): their log lines then carry the request's trace id.
    instrument_app(app, telemetry)
    return app


def install_http_runtime(
    app: FastAPI,
    *,
    max_body_bytes: int,
    access_log: bool,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT_REQUESTS,
) -> None:
    """Problem responses for every error, load shedding, body limits, request ids, access logs."""
    install_problem_handlers(app)
    app.add_middleware(
        HttpRuntimeMiddleware,
        max_body_bytes=max_body_bytes,
        access_log=access_log,
        max_in_flight=max_in_flight,
    )
