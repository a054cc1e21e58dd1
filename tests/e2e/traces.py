"""Reading one trace out of what an OTLP receiver got: shared by the e2e and compose tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bazaar_common.observability.receiver import ReceivedSpan

# The consumer spans one confirmed order's saga leaves, by service: audit
# hears of the confirmation last, so a trace with all of them is complete.
CONFIRMED_ORDER_CONSUMERS = {
    "inventory": {"ReserveStock process", "CommitStock process"},
    "payments": {"CapturePayment process"},
    "orders": {"StockReserved process", "PaymentCaptured process"},
    "audit": {"OrderPlaced process", "OrderConfirmed process"},
}


def connected(spans: list[ReceivedSpan], root_parent: str) -> bool:
    """Every span's parent is in the trace, except the first one's, which is the caller's."""
    ids = {span.span_id for span in spans}
    return all(span.parent_span_id in ids or span.parent_span_id == root_parent for span in spans)


def consumers_by_service(spans: list[ReceivedSpan]) -> dict[str, set[str]]:
    handled: dict[str, set[str]] = {}
    for span in spans:
        if span.kind == "CONSUMER":
            handled.setdefault(span.service, set()).add(span.name)
    return handled


async def confirmed_order_trace(
    received: Callable[[], list[ReceivedSpan]],
    trace_id: str,
    caller_span: str,
    *,
    within: float,
) -> list[ReceivedSpan]:
    """The spans of ``trace_id`` once they tell a confirmed order's whole saga.

    Spans are exported in batches, each service on its own, so they arrive in
    any order; this waits until every hop's consumer span is there and every
    span's parent too (the first one's is the caller's, ``caller_span``).
    """
    deadline = time.monotonic() + within
    while True:
        spans = [span for span in received() if span.trace_id == trace_id]
        handled = consumers_by_service(spans)
        every_hop = all(
            names <= handled.get(service, set())
            for service, names in CONFIRMED_ORDER_CONSUMERS.items()
        )
        linked = connected(spans, caller_span)
        if every_hop and linked:
            return spans
        assert time.monotonic() < deadline, (
            f"trace incomplete after {within} s: consumers {handled}, connected {linked}"
        )
        await asyncio.sleep(0.1)
