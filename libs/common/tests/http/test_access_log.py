"""One JSON-ready access log line per request, with the route's template to group by."""

from __future__ import annotations

import logging
from typing import Any

import pytest


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="bazaar.access")
    return caplog


def the_access_line(caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    """The one access line's fields, as the JSON formatter writes them (its extras included)."""
    [line] = [record for record in caplog.records if record.name == "bazaar.access"]
    return vars(line)


async def test_a_routed_request_logs_its_route_template_status_and_duration(client, access):
    response = await client.post("/widgets", json={"name": "bolt", "quantity": 2})

    assert response.status_code == 200
    line = the_access_line(access)
    assert (line["method"], line["path"], line["route"], line["status"]) == (
        "POST",
        "/widgets",
        "/widgets",
        200,
    )
    assert line["duration_ms"] >= 0


async def test_a_path_parameter_is_logged_as_the_template_not_the_value(client, access):
    response = await client.get("/widgets/w-123")

    assert response.status_code == 200
    line = the_access_line(access)
    assert (line["path"], line["route"]) == ("/widgets/w-123", "/widgets/{widget_id}")


async def test_an_unrouted_request_has_no_route(client, access):
    response = await client.get("/nowhere")

    assert response.status_code == 404
    line = the_access_line(access)
    assert (line["path"], line["route"], line["status"]) == ("/nowhere", None, 404)
