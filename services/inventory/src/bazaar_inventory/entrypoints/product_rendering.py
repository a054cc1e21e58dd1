"""Products as JSON straight from their rows, for the hot reads (``adapters.product_reads``).

The same JSON as ``ProductOut``/``ProductPage`` without a pydantic model per
row: plain dicts serialized by pydantic's serializer (``json_body``), which
writes datetimes as the models do. The routes still declare the models, so
the OpenAPI document is unchanged; ``tests/api/test_product_rendering.py``
checks bodies against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bazaar_common.db.read_pool import Row
from bazaar_common.http.json_body import json_bytes
from bazaar_inventory.entrypoints.cursor import CATALOG_CURSOR, CatalogPosition


def _product(row: Row) -> dict[str, Any]:
    # The keys in ProductOut's field order, so the bytes match what it renders.
    return {
        "sku": row["sku"],
        "name": row["name"],
        "description": row["description"],
        "price": {"amount_minor": row["price_minor"], "currency": row["currency"]},
        "available": row["available"],
        "updated_at": row["updated_at"],
    }


def product_body(row: Row) -> bytes:
    return json_bytes(_product(row))


@dataclass(frozen=True, slots=True)
class RenderedPage:
    body: bytes
    last_sku: str | None
    """The page's last sku when a next page follows it, else None."""


def catalog_page_body(rows: Sequence[Row], limit: int) -> RenderedPage:
    """A page from up to ``limit + 1`` rows: the extra one says that another page follows."""
    shown = rows[:limit]
    last_sku = shown[-1]["sku"] if len(rows) > limit else None
    next_cursor = None if last_sku is None else CATALOG_CURSOR.encode(CatalogPosition(last_sku))
    page = {"items": [_product(row) for row in shown], "next_cursor": next_cursor}
    return RenderedPage(json_bytes(page), last_sku)
