"""A route's errors, documented as they are answered: problem+json, per status."""

from __future__ import annotations

from fastapi import FastAPI

from bazaar_common.app import install_http_runtime
from bazaar_common.errors import Conflict, InvalidInput, NotFound
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    PROBLEM_SCHEMA,
    TAKES_BODY,
    USES_DATABASE,
    problem_responses,
)
from bazaar_common.validation import RequestModel


class WidgetNotFound(NotFound):
    code = "widget-not-found"
    title = "Widget not found"


class WidgetTaken(Conflict):
    code = "widget-taken"
    title = "Widget taken"


def test_each_status_is_one_problem_response_naming_its_errors():
    documented = problem_responses(*TAKES_BODY, WidgetNotFound, WidgetTaken, InvalidInput)

    assert sorted(documented) == [404, 409, 413, 422]
    assert documented[422]["description"] == "The request is not valid (invalid-input)"
    assert documented[404]["description"] == "Widget not found (widget-not-found)"
    for response in documented.values():
        assert response["content"] == {"application/problem+json": {"schema": PROBLEM_SCHEMA}}


def test_errors_sharing_a_status_are_all_named():
    documented = problem_responses(*NEEDS_ADMIN, *USES_DATABASE)

    assert sorted(documented) == [401, 403, 503]
    assert "invalid-token" in documented[401]["description"]
    assert "unauthorized" in documented[401]["description"]
    assert "auth-keys-unavailable" in documented[503]["description"]
    assert "database-unavailable" in documented[503]["description"]


def test_the_problem_schema_requires_the_rfc_9457_members_and_allows_extensions():
    assert set(PROBLEM_SCHEMA["required"]) == {"type", "title", "status", "detail"}
    assert PROBLEM_SCHEMA["additionalProperties"] is True


class Widget(RequestModel):
    name: str


def test_a_route_documents_its_422_as_a_problem_not_as_fastapis_default():
    app = FastAPI()
    install_http_runtime(app, max_body_bytes=1_024, access_log=False)

    @app.post("/widgets/{widget_id}", responses=problem_responses(*TAKES_BODY, WidgetTaken))
    async def create(widget_id: int, widget: Widget) -> None:
        return None

    responses = app.openapi()["paths"]["/widgets/{widget_id}"]["post"]["responses"]
    assert set(responses) == {"200", "409", "413", "422"}
    assert list(responses["422"]["content"]) == ["application/problem+json"]
    assert "HTTPValidationError" not in app.openapi().get("components", {}).get("schemas", {})
