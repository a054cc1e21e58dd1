"""Instrumentation of the parts every service shares: FastAPI, the engine, HTTP and AWS clients.

Each takes the process's telemetry (``configure_observability``): with
tracing off the providers are no-ops and only context propagation is left.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import aiohttp
from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig as FastApiTelemetryConfig
from opentelemetry import trace
from opentelemetry.instrumentation.aiohttp_client import create_trace_config
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import (
    __version__ as sqlalchemy_instrumentation,
)
from opentelemetry.semconv.metrics import MetricInstruments
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.observability.propagation import TraceContextMiddleware
from bazaar_common.observability.setup import Telemetry

# Probes hit every few seconds; a span for each tells nobody anything.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz"})


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in UNTRACED_PATHS


def fastapi_telemetry(telemetry: Telemetry) -> FastApiTelemetryConfig:
    """``FastAPI(telemetry=...)``: FastAPI's own OpenTelemetry, on this process's providers.

    A server span per request named by route (``POST /orders``) and
    ``http.server.request.duration`` per route. Measured here at half the
    cost of the contrib ASGI instrumentation (which also adds send/receive
    spans). Operation spans (dependencies, serialization) and FastAPI's log
    records stay off: they cost more than they tell.
    """
    return {
        "tracer_provider": telemetry.tracer_provider,
        "meter_provider": telemetry.meter_provider,
        "tracing": telemetry.tracing,
        "metrics": telemetry.metering,
        "logs": False,
        "operation_spans": False,
        "auto_configure": False,
        "exclude": _untraced,
    }


def instrument_app(app: FastAPI, telemetry: Telemetry) -> None:
    """What ``fastapi_telemetry`` leaves: the caller's trace context when nothing is exported.

    FastAPI's telemetry takes the incoming ``traceparent`` only when it
    traces; otherwise (no exporter, or ``OTEL_SDK_DISABLED``, which turns off
    the SDK, not the API's propagation) a small middleware does
    (``TraceContextMiddleware``), so the trace still flows through.
    """
    if telemetry.tracing:
        return
    app.add_middleware(TraceContextMiddleware)


def instrument_engine(engine: AsyncEngine, telemetry: Telemetry) -> None:
    """A client span per statement run on ``engine`` (SQLAlchemy's events on its sync engine)."""
    if not telemetry.tracing:
        return
    # EngineTracer rather than SQLAlchemyInstrumentor().instrument(engine=...):
    # the instrumentor instruments once per process, a process has several engines.
    tracer = trace.get_tracer(
        "opentelemetry.instrumentation.sqlalchemy",
        sqlalchemy_instrumentation,
        tracer_provider=telemetry.tracer_provider,
    )
    meter = telemetry.meter_provider.get_meter(
        "opentelemetry.instrumentation.sqlalchemy", sqlalchemy_instrumentation
    )
    connections = meter.create_up_down_counter(
        name=MetricInstruments.DB_CLIENT_CONNECTIONS_USAGE,
        unit="connections",
        description="Connections of the pool, by state (idle, used)",
    )
    EngineTracer(tracer, engine.sync_engine, connections)  # type: ignore[no-untyped-call]


def http_client_trace_configs(telemetry: Telemetry | None) -> list[aiohttp.TraceConfig]:
    """For ``aiohttp.ClientSession(trace_configs=...)``: client spans and a ``traceparent`` header.

    The header is sent even with tracing off, so the callee continues the trace.
    """
    if telemetry is None:
        return []
    return [
        create_trace_config(
            tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider
        )
    ]


_SPAN_KEY = "bazaar_otel_span"


def instrument_aws_client(client: Any) -> None:
    """A client span per API call of an aiobotocore client (``SQS.ReceiveMessage``...).

    The botocore instrumentation patches the synchronous client only; these
    are botocore's own ``before-call``/``after-call`` events, which aiobotocore
    emits too, in the caller's task, so the span gets the caller's context.
    """
    service = client.meta.service_model.service_id.hyphenize()
    events = client.meta.events
    events.register(f"before-call.{service}", _start_aws_span)
    events.register(f"after-call.{service}", _end_aws_span)
    events.register(f"after-call-error.{service}", _fail_aws_span)


_tracer = trace.get_tracer("bazaar.aws")


def _start_aws_span(model: Any, context: dict[str, Any], **_: Any) -> None:
    service = model.service_model.service_id
    # The tracer provider is the global one: the clients are made after
    # configure_observability, and the span is never made current.
    context[_SPAN_KEY] = _tracer.start_span(
        f"{service}.{model.name}",
        kind=SpanKind.CLIENT,
        attributes={
            "rpc.system": "aws-api",
            "rpc.service": str(service),
            "rpc.method": model.name,
            "cloud.region": context.get("client_region") or "",
        },
    )


def _end_aws_span(http_response: Any, context: dict[str, Any], **_: Any) -> None:
    span = context.pop(_SPAN_KEY, None)
    if span is None:
        return
    status = getattr(http_response, "status_code", 0)
    span.set_attribute("http.status_code", status)
    if status >= 400:
        span.set_status(Status(StatusCode.ERROR, f"HTTP {status}"))
    span.end()


def _fail_aws_span(exception: BaseException, context: dict[str, Any], **_: Any) -> None:
    span = context.pop(_SPAN_KEY, None)
    if span is None:
        return
    span.record_exception(exception)
    span.set_status(Status(StatusCode.ERROR, type(exception).__name__))
    span.end()
