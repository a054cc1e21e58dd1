"""Orders as JSON straight from their rows, for the hot reads (``adapters.order_reads``).

A pydantic model per order costs more than the read itself; these build the
same JSON as ``OrderOut``/``OrderPage`` from plain dicts, serialized by
pydantic's serializer (``bazaar_common.http.json_body``: datetimes and UUIDs
written exactly as the models write them). The routes still declare those
models, so the OpenAPI document is unchanged;
``tests/api/test_order_rendering.py`` checks the bodies against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Response

from bazaar_common.db.read_pool import Row
from bazaar_common.http.json_body import json_response


def _lines(lines: Sequence[Row]) -> list[dict[str, Any]]:
    return [
        {
            "sku": line["sku"],
            "quantity": line["quantity"],
            "unit_price_minor": line["unit_price_minor"],
        }
        for line in lines
    ]


def _order(order: Row, lines: Sequence[Row]) -> dict[str, Any]:
    # The keys in OrderOut's field order, so the bytes match what it renders.
    return {
        "id": order["id"],
        "customer_id": order["customer_id"],
        "status": order["status"],
        "step": order["step"],
        "cancel_reason": order["cancel_reason"],
        "lines": _lines(lines),
        "total_minor": order["total_minor"],
        "currency": order["currency"],
        "created_at": order["created_at"],
        "updated_at": order["updated_at"],
    }


def order_response(rows: Sequence[Row]) -> Response:
    """One order from ``order_with_lines``: its columns are repeated on every line row."""
    return json_response(_order(rows[0], rows))


def order_page_response(orders: Sequence[Sequence[Row]], next_cursor: str | None) -> Response:
    """Orders from ``order_page``: each its rows, the order's columns repeated on every line."""
    page = {"items": [_order(rows[0], rows) for rows in orders], "next_cursor": next_cursor}
    return json_response(page)
