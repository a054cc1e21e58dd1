"""JSON bodies rendered from plain values (rows as dicts), for routes that skip a model per row.

pydantic's own serializer (core, in Rust) writes them, so UUIDs, datetimes
and decimals come out exactly as a model's ``model_dump_json`` writes the
same values: a route may swap its model for a dict without its bytes moving.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import TypeAdapter

_ANYTHING = TypeAdapter(Any)


def json_bytes(content: object) -> bytes:
    return _ANYTHING.dump_json(content)


def json_response(content: object, *, status_code: int = 200) -> Response:
    return Response(json_bytes(content), status_code=status_code, media_type="application/json")
