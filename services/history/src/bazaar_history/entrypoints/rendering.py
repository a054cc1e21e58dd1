"""A history record as JSON straight from its row, for the hot read (``adapters.reads``).

The same JSON as ``HistoryOut`` without building the model: a plain dict
serialized by pydantic's serializer (``bazaar_common.http.json_body``), which
writes UUIDs and datetimes as the model does. The route still declares
``HistoryOut``, so the OpenAPI document is unchanged;
``tests/api/test_records.py`` checks the body against both.
"""

from __future__ import annotations

from fastapi import Response

from bazaar_common.db.read_pool import Row
from bazaar_common.http.json_body import json_response


def record_response(row: Row) -> Response:
    # The keys in HistoryOut's field order, so the bytes match what it renders.
    body = {
        "id": row["id"],
        "customer_id": row["customer_id"],
        "created_at": row["created_at"],
        "source_event_id": row["source_event_id"],
    }
    return json_response(body)
