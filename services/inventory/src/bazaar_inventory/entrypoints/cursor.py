"""Where a catalog page left off: products come in sku order, so its last sku."""

from __future__ import annotations

from dataclasses import dataclass

from bazaar_common.http.cursor import KeysetCursor


@dataclass(frozen=True, slots=True)
class CatalogPosition:
    sku: str


CATALOG_CURSOR = KeysetCursor(CatalogPosition)
