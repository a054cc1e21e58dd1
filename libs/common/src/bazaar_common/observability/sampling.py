"""The sampler: the configured one, minus client calls that belong to no trace.

A database query or AWS call with no request or message around it (the
relay's polls, a sweeper, a long poll on SQS, a migration at start) would
each start a trace of one span: with a one-second relay poll that is tens of
thousands of useless traces a day per service. Those are dropped here, in
one place, whoever makes them; the same calls inside a request or a handled
message are sampled like everything else in their trace.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes


def configured_sampler(name: str, ratio: float) -> Sampler:
    """The sampler ``OTEL_TRACES_SAMPLER`` names (already checked by the config)."""
    base: Sampler = {
        "always_on": ALWAYS_ON,
        "always_off": ALWAYS_OFF,
    }.get(name.removeprefix("parentbased_"), TraceIdRatioBased(ratio))
    return ParentBased(base) if name.startswith("parentbased_") else base


class SkipOrphanClientSpans(Sampler):
    def __init__(self, inner: Sampler) -> None:
        self._inner = inner

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if kind is SpanKind.CLIENT and not (
            trace.get_current_span(parent_context).get_span_context().is_valid
        ):
            return SamplingResult(Decision.DROP)
        return self._inner.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"SkipOrphanClientSpans{{{self._inner.get_description()}}}"
