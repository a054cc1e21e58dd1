"""A catalog read through the cache: ETag, Cache-Control, Age, 304s and X-Cache-Status.

The route says what it reads (``key``) and how to render it (``load``);
this answers from the cache when it may, otherwise loads and stores. A
request with ``Cache-Control: no-cache`` skips the lookup and refreshes the
entry (the benchmark measures the uncached path that way).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from fastapi import Request, Response

from bazaar_common.http.conditional import (
    CONDITIONAL_GET_RESPONSES,
    cache_control,
    conditional_response,
    etag_of,
    parse_if_none_match,
    with_headers,
)
from bazaar_common.observability.metrics import CacheOutcome, record_cache_lookup
from bazaar_inventory.catalog_cache.runtime import catalog_cache_of
from bazaar_inventory.catalog_cache.store import CachedBody, SkuSpan

CACHE_STATUS = "X-Cache-Status"
METRIC_NAME = "catalog"

Load = Callable[[], Awaitable[tuple[bytes, SkuSpan]]]

CACHED_READ_RESPONSES: dict[int | str, dict[str, Any]] = with_headers(
    CONDITIONAL_GET_RESPONSES,
    {
        CACHE_STATUS: {
            "description": "hit (from the server's cache), miss (read and kept) or bypass",
            "schema": {"type": "string", "enum": ["hit", "miss", "bypass"]},
        }
    },
)
"""``responses=`` entries of a cached catalog read, for the OpenAPI document."""


async def cached_read(request: Request, key: Hashable, load: Load) -> Response:
    store = catalog_cache_of(request.app)
    max_age = request.app.state.settings.catalog_cache_seconds
    condition = parse_if_none_match(request.headers.get("if-none-match"))
    refresh = _asks_no_cache(request.headers.get("cache-control"))
    entry = None if refresh else store.get(key)
    outcome: CacheOutcome
    if entry is not None:
        outcome = "hit"
        age: int | None = int(store.age_of(entry))
    else:
        generation, read_at = store.read_began()
        body, shows = await load()
        entry = CachedBody(body, etag_of(body), shows, read_at)
        kept = store.put(key, entry, read_in_generation=generation)
        outcome = "miss" if kept and not refresh else "bypass"
        age = None
    store.counts.record(outcome)
    record_cache_lookup(METRIC_NAME, outcome)
    headers = {"Cache-Control": cache_control(max_age), CACHE_STATUS: outcome}
    if age is not None:
        headers["Age"] = str(age)
    return conditional_response(entry.body, etag=entry.etag, condition=condition, headers=headers)


def _asks_no_cache(cache_control_header: str | None) -> bool:
    if not cache_control_header:
        return False
    directives = (part.strip().lower() for part in cache_control_header.split(","))
    return any(directive.split("=", 1)[0] == "no-cache" for directive in directives)
