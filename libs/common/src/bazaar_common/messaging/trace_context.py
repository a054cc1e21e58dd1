"""W3C trace context carried inside events, so one trace follows an order.

Works with the OpenTelemetry API alone: with no SDK configured, an incoming
traceparent still becomes the current context, and events published while
handling it carry the same trace id onwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import context, propagate, trace


def context_of(traceparent: str | None) -> context.Context | None:
    """The context a traceparent names, ``None`` without one (or an invalid one)."""
    if not traceparent:
        return None
    extracted = propagate.extract({"traceparent": traceparent})
    if not trace.get_current_span(extracted).get_span_context().is_valid:
        return None
    return extracted


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def continued_trace(traceparent: str | None) -> Iterator[None]:
    if not traceparent:
        yield
        return
    token = context.attach(propagate.extract({"traceparent": traceparent}))
    try:
        yield
    finally:
        context.detach(token)
