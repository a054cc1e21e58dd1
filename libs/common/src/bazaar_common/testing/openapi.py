"""Checks of a service's OpenAPI document: unchanged from a snapshot, bodies that match it.

Routes that render JSON themselves (the hot reads) still declare their
models for the document; these keep the two honest: the document does not
move when a route changes how it renders, and what it renders is what the
document promises.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from openapi_schema_validator import OAS31Validator


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """``app.openapi()`` as JSON gives it to a client (tuples become lists)."""
    document: dict[str, Any] = json.loads(json.dumps(app.openapi()))
    return document


def assert_openapi_matches_snapshot(app: FastAPI, snapshot: Path) -> None:
    """The document is the one in ``snapshot``; on purpose changes, rewrite the file from it."""
    expected = json.loads(snapshot.read_text(encoding="utf-8"))
    actual = openapi_document(app)
    assert actual == expected, (
        f"the OpenAPI document differs from {snapshot.name}; if the change is meant, write "
        "json.dumps(openapi_document(app), indent=1, sort_keys=True) to it"
    )


def response_validator(
    document: dict[str, Any], path: str, method: str, status: str = "200"
) -> OAS31Validator:
    """A validator of the JSON body ``method path`` documents for ``status`` (formats checked)."""
    content = document["paths"][path][method]["responses"][status]["content"]
    schema = content["application/json"]["schema"]
    # The schema's $refs point into the document's components.
    return OAS31Validator(
        {**schema, "components": document["components"]},
        format_checker=OAS31Validator.FORMAT_CHECKER,
    )
