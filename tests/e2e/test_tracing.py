"""One order, one trace: every service it touches, across HTTP and every event hop.

Each service of the stack exports its spans over OTLP/HTTP to the stack's
receiver (``Stack.spans``). The test calls orders as the gateway would, with
a ``traceparent`` of its own, and reads back the trace by that id.
"""

from __future__ import annotations

import secrets

from tests.e2e.traces import confirmed_order_trace

# The saga's services; a service that also listens to the order's events
# (make new-service CONSUMES=OrderConfirmed) may join the trace too.
SERVICES = {"orders", "inventory", "payments", "audit"}


async def test_one_trace_covers_every_service_an_order_touches(shop):
    sku = await shop.add_product(units=3, price=700)
    alice = await shop.customer("alice-traced")
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)

    shop.http.headers["traceparent"] = f"00-{trace_id}-{caller_span}-01"
    try:
        placed = await shop.place(alice, {sku: 1})
    finally:
        del shop.http.headers["traceparent"]
    assert placed.status_code == 201, placed.text
    settled = await shop.settled(alice, placed.json()["id"])
    assert settled["status"] == "CONFIRMED", settled

    spans = await confirmed_order_trace(shop.stack.spans.spans, trace_id, caller_span, within=20)

    assert {span.service for span in spans} >= SERVICES
    [request] = [s for s in spans if s.parent_span_id == caller_span]
    assert (request.service, request.kind, request.name) == ("orders", "SERVER", "POST /orders")
    by_id = {span.span_id: span for span in spans}
    # The price lookup: orders' aiohttp client span, inventory's server span under it.
    lookups = [s for s in spans if s.service == "inventory" and s.kind == "SERVER"]
    assert lookups
    for lookup in lookups:
        caller = by_id[lookup.parent_span_id]
        assert (caller.service, caller.kind) == ("orders", "CLIENT")
    # Each hop: a consumer span whose parent is a span of another service
    # (or of the same one, for events a service sends itself).
    for span in spans:
        if span.kind == "CONSUMER":
            assert span.parent_span_id in by_id, span
    # The relay's PutEvents calls are in the trace too.
    producers = {s.service for s in spans if s.kind == "PRODUCER"}
    assert {"orders", "inventory", "payments"} <= producers
    # Database work of the request and the handlers is in it.
    assert any(s.kind == "CLIENT" and s.attributes.get("db.system") == "postgresql" for s in spans)
