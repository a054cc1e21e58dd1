"""The consumer's span around each event it handles, continuing the publisher's trace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode

from bazaar_common.messaging.delivery import Delivery
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.trace_context import context_of

_tracer = trace.get_tracer("bazaar.messaging")


@contextmanager
def process_span(
    delivery: Delivery, envelope: Envelope, *, queue: str, consumer: str, lag_seconds: float
) -> Iterator[Span]:
    """A child of the span that published the event (its envelope's traceparent).

    The trace goes on across the hop. Current while the handler runs, so
    what it publishes carries this span onwards. Exceptions are recorded by
    the consumer, which knows which ones are failures.
    """
    with _tracer.start_as_current_span(
        f"{envelope.type} process",
        context=context_of(envelope.traceparent),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "aws_sqs",
            "messaging.operation.type": "process",
            "messaging.destination.name": queue,
            "messaging.message.id": delivery.message_id,
            "messaging.consumer.group.name": consumer,
            "bazaar.event.id": str(envelope.id),
            "bazaar.event.type": envelope.type,
            "bazaar.consumer.lag_seconds": round(lag_seconds, 3),
            "bazaar.receive_count": delivery.receive_count,
        },
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        yield span


def record_failure(span: Span, error: Exception) -> None:
    span.record_exception(error)
    span.set_status(StatusCode.ERROR, type(error).__name__)
    span.set_attribute("bazaar.consumer.outcome", "failed")


def record_outcome(span: Span, outcome: str) -> None:
    """``acked`` (handled now) or ``duplicate`` (the inbox had it)."""
    span.set_attribute("bazaar.consumer.outcome", outcome)


def record_not_deleted(span: Span) -> None:
    span.set_attribute("bazaar.consumer.deleted", False)
