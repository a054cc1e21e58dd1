"""Inventory configuration: the shared service and key settings and the catalog cache's bounds."""

from __future__ import annotations

from pydantic import Field

from bazaar_common.idempotency.settings import IdempotentServiceSettings


class InventorySettings(IdempotentServiceSettings):
    catalog_cache_seconds: int = Field(
        default=2,
        ge=0,
        le=300,
        description=(
            "CATALOG_CACHE_SECONDS: the max-age of public product reads, and the longest a "
            "cached one is served. Stock is in those bodies, so this is how stale a client's "
            "copy may get. 0 turns the server cache off (max-age=0: revalidate each time)."
        ),
    )
    catalog_cache_entries: int = Field(
        default=2_048,
        ge=0,
        le=1_000_000,
        description="CATALOG_CACHE_ENTRIES: pages and products kept, least recently used first out",
    )
    catalog_cache_megabytes: int = Field(
        default=32,
        ge=1,
        le=4_096,
        description=(
            "CATALOG_CACHE_MEGABYTES: the bodies kept, at most, in MiB; least recently used "
            "out first (a page of 100 products with long descriptions is several hundred KiB)"
        ),
    )
    catalog_cache_listen_retry_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description=(
            "CATALOG_CACHE_LISTEN_RETRY_SECONDS: how often to LISTEN again after losing the "
            "connection; the cache is bypassed until it is back"
        ),
    )
