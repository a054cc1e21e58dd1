"""A service app built by the factory, on a real Postgres, traced into memory."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi import APIRouter, Request
from opentelemetry.trace import SpanKind
from sqlalchemy import text

from bazaar_common.app import create_service_app
from bazaar_common.messaging.trace_context import current_traceparent
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.catalog import service_entry
from bazaar_common.testing.settings import make_test_settings

MIGRATIONS = str(Path(__file__).parents[1] / "db" / "sample_migrations")
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"

router = APIRouter()
logger = logging.getLogger("bazaar.observed")


@router.get("/widgets/{widget_id}")
async def widget(widget_id: int, request: Request) -> dict[str, object]:
    async with request.app.state.engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM widgets WHERE id = :id"), {"id": widget_id}
        )
    logger.info("widget looked up", extra={"widget_id": widget_id})
    # What an outbox row written here would carry onwards.
    return {"found": found, "traceparent": current_traceparent()}


@pytest.fixture(scope="module")
async def client(observed_session, create_test_database, jwks_server):
    url = await create_test_database("observability_test")
    app = create_service_app(
        entry=service_entry("observed"),
        settings=make_test_settings(ServiceSettings, url, jwks_server),
        routers=[router],
        migrations=MIGRATIONS,
    )
    async with running_app_client(app) as client:
        yield client


async def test_a_request_is_a_server_span_with_its_queries_inside(observed, client):
    response = await client.get("/observed/widgets/1")
    assert response.status_code == 200
    assert response.json()["found"] == 1
    spans = observed.spans()
    [server] = [s for s in spans if s.kind is SpanKind.SERVER]
    assert server.name == "GET /observed/widgets/{widget_id}"
    assert server.attributes["http.route"] == "/observed/widgets/{widget_id}"
    assert server.resource.attributes["service.name"] == "observed"
    queries = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert queries, "no database span"
    for query in queries:
        assert query.context.trace_id == server.context.trace_id
        assert query.parent.span_id == server.context.span_id
        assert query.attributes["db.system"] == "postgresql"
    assert any("widgets" in str(q.attributes.get("db.statement", "")) for q in queries)
    # Only the server span and the queries: no ASGI send/receive spans.
    assert {s.kind for s in spans} == {SpanKind.SERVER, SpanKind.CLIENT}
    assert not [s for s in spans if s.name.endswith((" http send", " http receive"))]


async def test_a_callers_traceparent_is_continued_and_carried_onwards(observed, client):
    response = await client.get(
        "/observed/widgets/1", headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}
    )
    [server] = [s for s in observed.spans() if s.kind is SpanKind.SERVER]
    assert format(server.context.trace_id, "032x") == CALLER_TRACE
    assert format(server.parent.span_id, "016x") == CALLER_SPAN
    # An event written while handling this request continues from the request's span.
    assert response.json()["traceparent"] == (
        f"00-{CALLER_TRACE}-{format(server.context.span_id, '016x')}-01"
    )


async def test_log_lines_carry_the_trace_and_span_ids(observed, client, json_log_lines):
    await client.get("/observed/widgets/1")
    [server] = [s for s in observed.spans() if s.kind is SpanKind.SERVER]
    [line] = [json.loads(x) for x in json_log_lines if "widget looked up" in x]
    assert line["trace_id"] == format(server.context.trace_id, "032x")
    assert line["span_id"] == format(server.context.span_id, "016x")
    logger.info("outside any request")
    outside = json.loads(json_log_lines[-1])
    assert "trace_id" not in outside
    assert "span_id" not in outside


async def test_probes_are_not_traced(observed, client):
    assert (await client.get("/healthz")).status_code == 200
    assert observed.spans() == []


async def test_request_duration_is_measured_per_route(observed, client):
    await client.get("/observed/widgets/2")
    points = observed.metric_points("http.server.request.duration")
    routes = {p.attributes.get("http.route") for p in points}
    assert "/observed/widgets/{widget_id}" in routes
    [point] = [
        p for p in points if p.attributes.get("http.route") == "/observed/widgets/{widget_id}"
    ]
    assert point.count >= 1
    assert point.attributes["http.response.status_code"] == 200
    assert point.attributes["http.request.method"] == "GET"
