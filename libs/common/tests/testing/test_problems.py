"""The shared problem+json checker accepts a well-formed problem and nothing less."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bazaar_common.testing.problems import expect_problem

BODY = {
    "type": "https://bazaar.dev/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No product with sku 'MUG-1'.",
    "request_id": "req-1",
}


def problem(
    body: dict[str, Any] = BODY,
    status: int = 404,
    content_type: str = "application/problem+json",
) -> httpx.Response:
    return httpx.Response(
        status,
        json=body,
        headers={"content-type": content_type, "x-request-id": "req-1"},
    )


def test_a_well_formed_problem_passes_and_its_body_is_returned():
    assert expect_problem(problem(), 404, "not-found") == BODY
    assert expect_problem(problem(), 404) == BODY


@pytest.mark.parametrize(
    ("response", "status", "code"),
    [
        (problem(), 400, None),  # another status
        (problem(), 404, "conflict"),  # another code
        (problem(content_type="application/json"), 404, None),
        (problem({**BODY, "detail": ""}), 404, None),
        (problem({**BODY, "title": 7}), 404, None),
        (problem({**BODY, "request_id": "req-2"}), 404, None),
        (problem({**BODY, "type": "about:blank"}), 404, None),
        (problem({**BODY, "detail": 'Traceback: File "x.py"'}), 404, None),
        (problem({**BODY, "detail": "asyncpg.exceptions.UniqueViolation"}), 404, None),
    ],
)
def test_anything_less_fails(response, status, code):
    with pytest.raises(AssertionError):
        expect_problem(response, status, code)


def test_the_plugin_fixture_is_the_same_checker(expect_problem):
    assert expect_problem(problem(), 404, "not-found") == BODY
