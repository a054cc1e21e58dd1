"""The producer span of one call that sends envelopes, in the trace of what it carries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.trace_context import context_of

_tracer = trace.get_tracer("bazaar.messaging")


def publish_span(envelopes: Sequence[Envelope], *, system: str, destination: str) -> Any:
    """A producer span per call (PutEvents, SendMessageBatch).

    The relay runs outside any request: a call whose entries all come from
    one trace (the usual case, a batch of one) joins that trace; a mixed
    batch starts its own and links to each. The envelope keeps its
    ``traceparent`` whichever way it goes, so the consumer continues the trace.
    """
    traces = {envelope.traceparent for envelope in envelopes if envelope.traceparent}
    parent = context_of(next(iter(traces))) if len(traces) == 1 else None
    links = [
        Link(trace.get_current_span(context).get_span_context())
        for context in (context_of(traceparent) for traceparent in sorted(traces))
        if context is not None
    ]
    return _tracer.start_as_current_span(
        f"publish {destination}",
        context=parent,
        kind=SpanKind.PRODUCER,
        links=links if parent is None else None,
        attributes={
            "messaging.system": system,
            "messaging.operation.type": "send",
            "messaging.destination.name": destination,
            "messaging.batch.message_count": len(envelopes),
            "bazaar.event.types": sorted({envelope.type for envelope in envelopes}),
        },
    )
