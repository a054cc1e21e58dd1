"""Trace context from a request's ``traceparent`` header, with nothing recorded.

What a service without a collector runs instead of the FastAPI
instrumentation: the caller's trace still becomes the current context (log
lines carry its ids, events written carry it on), for a few microseconds
rather than the instrumentation's ~100 per request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from bazaar_common.messaging.trace_context import continued_trace


class TraceContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        traceparent = None
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"traceparent":
                    traceparent = value.decode("latin-1")
                    break
        with continued_trace(traceparent):
            await self.app(scope, receive, send)
