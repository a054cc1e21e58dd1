"""The one middleware's parts together: every answer, even its own, has the id and a log line."""

from __future__ import annotations

import json
import logging

import pytest

from bazaar_common.logging import JsonFormatter


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="bazaar.access")
    return caplog


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/widgets", b'{"name": "' + b"a" * 4_096 + b'"}', 413),  # refused here
        ("GET", "/boom", None, 500),  # answered here
        ("GET", "/taken", None, 409),  # answered by the app
    ],
)
async def test_the_callers_id_is_on_the_answer_and_the_line_has_its_status(
    client, access, method, path, body, status
):
    response = await client.request(
        method,
        path,
        content=body,
        headers={"x-request-id": "req-42", "content-type": "application/json"},
    )

    assert response.status_code == status
    assert response.headers["x-request-id"] == "req-42"
    assert response.json()["request_id"] == "req-42"
    [line] = [vars(record) for record in access.records if record.name == "bazaar.access"]
    assert (line["method"], line["path"], line["status"]) == (method, path, status)


class FormattedAtEmit(logging.Handler):
    """The JSON lines as written while the request runs (its context variables still set)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("test"))
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


async def test_the_unhandled_error_and_the_access_line_are_logged_with_the_request_id(client):
    handler = FormattedAtEmit()
    loggers = [logging.getLogger("bazaar.http"), logging.getLogger("bazaar.access")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        response = await client.get("/boom", headers={"x-request-id": "req-43"})
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)

    assert response.status_code == 500
    assert [(line["logger"], line["request_id"]) for line in handler.lines] == [
        ("bazaar.http", "req-43"),
        ("bazaar.access", "req-43"),
    ]
    assert "hunter2" in str(handler.lines[0]["exception"])
