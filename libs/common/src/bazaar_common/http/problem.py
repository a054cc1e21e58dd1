"""RFC 9457 problem details for every error a service returns."""

from __future__ import annotations

import http
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from bazaar_common.errors import PROBLEM_TYPE_BASE, InvalidInput, ProblemError
from bazaar_common.http.request_context import current_request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_response(
    status: int,
    *,
    code: str,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def _status_code_slug(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")
    except ValueError:
        return "http-error"


def _status_phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extensions,
    )


def status_problem(
    status: int, detail: str, *, instance: str | None, headers: dict[str, str] | None = None
) -> Response:
    """A problem named after its HTTP status, for errors raised by the framework."""
    return problem_response(
        status,
        code=_status_code_slug(status),
        title=_status_phrase(status),
        detail=detail,
        instance=instance,
        headers=headers,
    )


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a JSON body that is not UTF-8 with a bare 400; it is
        # malformed JSON like any other, and gets the same 422.
        return _invalid_input(request, [_NOT_UTF8])
    detail = exc.detail if isinstance(exc.detail, str) else _status_phrase(exc.status_code)
    return status_problem(
        exc.status_code, detail, instance=request.url.path, headers=dict(exc.headers or {})
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # The rejected input is not echoed back: it may be huge, binary or a secret.
    return [
        {
            "field": ".".join(str(part) for part in error["loc"]),
            "message": error["msg"],
            "type": error["type"],
        }
        for error in exc.errors()
    ]


_NOT_UTF8 = {"field": "body", "message": "JSON decode error: not UTF-8", "type": "json_invalid"}


def _invalid_input(request: Request, errors: list[dict[str, Any]]) -> Response:
    return problem_response(
        InvalidInput.status,
        code=InvalidInput.code,
        title=InvalidInput.title,
        detail="One or more fields are invalid; see errors.",
        instance=request.url.path,
        errors=errors,
    )


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return _invalid_input(request, _field_errors(exc))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
