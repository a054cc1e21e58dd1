"""Measure what OpenTelemetry costs per request, in-process, on a small endpoint.

    uv run python scripts/bench_otel.py [--requests 5000] [--rounds 5]

Builds the same small FastAPI app (the shared HTTP runtime: request ids,
body limit, problem handlers; one JSON endpoint with a path parameter) once
per variant and drives it with raw ASGI calls, no sockets, so the numbers
are the middleware's own cost. Spans go to a BatchSpanProcessor whose
exporter drops them: the export itself happens on the processor's thread.

Variants: no instrumentation; ours (FastAPI's own telemetry on our
providers, ``fastapi_telemetry``: a server span per request, no send/receive
or operation spans) at ratio 1.0 and 0.1, with the http.server metrics on;
and nothing exported (propagation only, ``TraceContextMiddleware``: the
default without a collector).
Prints the best round's mean per request and the cost over the bare app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

# Before any instrumentation reads it, as configure_observability does.
os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http")

from fastapi import FastAPI
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

from bazaar_common.app import install_http_runtime
from bazaar_common.observability import (
    Telemetry,
    TelemetryConfig,
    build_telemetry,
    fastapi_telemetry,
    instrument_app,
)


class DropSpans(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def small_app(observed: Telemetry | None = None) -> FastAPI:
    # As the app factory builds it; without telemetry, FastAPI's own stays off.
    app = FastAPI(telemetry=fastapi_telemetry(observed or telemetry(None)))
    return _with_runtime(app)


def _with_runtime(app: FastAPI) -> FastAPI:
    install_http_runtime(app, max_body_bytes=1024, access_log=False)

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id, "stock": 3}

    return app


def telemetry(ratio: float | None, *, metrics: bool = False) -> Telemetry:
    """Tracing at ``ratio``; ``None``: tracing off (no processor, no-op provider)."""
    config = TelemetryConfig(service_name="bench", sampler_ratio=1.0 if ratio is None else ratio)
    return build_telemetry(
        config,
        span_processors=[] if ratio is None else [BatchSpanProcessor(DropSpans())],
        metric_readers=[InMemoryMetricReader()] if metrics else [],
    )


def variants() -> dict[str, Callable[[], FastAPI]]:
    def bare() -> FastAPI:
        app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})
        return _with_runtime(app)

    def ours(ratio: float | None, metrics: bool = False) -> Callable[[], FastAPI]:
        def build() -> FastAPI:
            observed = telemetry(ratio, metrics=metrics)
            app = small_app(observed)
            instrument_app(app, observed)
            return app

        return build

    return {
        "no instrumentation": bare,
        "ours, ratio 1.0": ours(1.0),
        "ours, ratio 1.0, http metrics on": ours(1.0, metrics=True),
        "ours, ratio 0.1": ours(0.1),
        "ours, tracing off (propagation only)": ours(None),
    }


async def call(app: FastAPI, path: str) -> int:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench.local"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(app: FastAPI, requests: int, rounds: int) -> float:
    """Best round's mean seconds per request (the least disturbed by the machine)."""
    for _ in range(500):  # warm up: route caches, first spans
        assert await call(app, "/items/7") == 200
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for index in range(requests):
            await call(app, f"/items/{index}")
        best = min(best, (time.perf_counter() - started) / requests)
    return best


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, float] = {}
    for name, build in variants().items():
        results[name] = await measure(build(), args.requests, args.rounds)
    bare = results["no instrumentation"]
    width = max(map(len, results))
    print(f"{'variant':<{width}}  us/request  overhead us")
    for name, seconds in results.items():
        print(f"{name:<{width}}  {seconds * 1e6:10.1f}  {(seconds - bare) * 1e6:11.1f}")


if __name__ == "__main__":
    asyncio.run(main())
