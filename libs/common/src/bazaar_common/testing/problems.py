"""Checking an RFC 9457 problem response the way every service answers errors."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM_TYPE_BASE = "https://bazaar.dev/problems/"
# What an internal error leaking into a response would carry: a stack trace,
# or the name of a library under the service's code.
LEAK_MARKERS = ("Traceback", 'File "', "sqlalchemy", "asyncpg", "psycopg", "aiohttp")


def expect_problem(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """Assert ``response`` is a problem+json with ``status`` (and ``code``); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith(PROBLEM_TYPE_BASE)
    if code is not None:
        assert body["type"] == f"{PROBLEM_TYPE_BASE}{code}", body
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    for leak in LEAK_MARKERS:
        assert leak not in response.text
    return body
