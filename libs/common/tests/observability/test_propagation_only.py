"""Without a collector nothing is recorded, yet a caller's trace still flows through."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from bazaar_common.messaging.trace_context import current_traceparent
from bazaar_common.observability import (
    TelemetryConfig,
    build_telemetry,
    fastapi_telemetry,
    instrument_app,
)
from bazaar_common.observability.propagation import TraceContextMiddleware

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def quiet_app() -> FastAPI:
    # As the app factory builds it.
    telemetry = build_telemetry(TelemetryConfig.from_env("quiet", {}))
    assert not telemetry.tracing
    app = FastAPI(telemetry=fastapi_telemetry(telemetry))

    @app.get("/carried")
    async def carried() -> dict[str, str | None]:
        return {"traceparent": current_traceparent()}

    instrument_app(app, telemetry)
    return app


async def test_the_callers_traceparent_is_the_context_of_the_request():
    app = quiet_app()
    assert [m.cls for m in app.user_middleware] == [TraceContextMiddleware]  # type: ignore[comparison-overlap]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://quiet") as client:
        continued = await client.get("/carried", headers={"traceparent": CALLER})
        alone = await client.get("/carried")
        garbage = await client.get("/carried", headers={"traceparent": "not-a-traceparent"})
    assert continued.json() == {"traceparent": CALLER}
    assert alone.json() == {"traceparent": None}
    assert garbage.json() == {"traceparent": None}


def test_a_disabled_sdk_records_nothing_and_still_propagates():
    telemetry = build_telemetry(TelemetryConfig.from_env("off", {"OTEL_SDK_DISABLED": "true"}))
    assert not telemetry.tracing
    assert not telemetry.metering
    app = FastAPI(telemetry=fastapi_telemetry(telemetry))
    instrument_app(app, telemetry)
    assert [m.cls for m in app.user_middleware] == [TraceContextMiddleware]  # type: ignore[comparison-overlap]
