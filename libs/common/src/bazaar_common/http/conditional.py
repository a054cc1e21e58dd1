"""Conditional GETs: a strong ETag from the body, ``If-None-Match`` and 304 Not Modified.

A route renders its body once, takes ``etag_of(body)`` and answers with
``conditional_response``: a 304 with no body when the request's
``If-None-Match`` matches (RFC 9110 §13.1.2), else the 200. Both carry the
same ``ETag`` and ``Cache-Control``, so a client revalidating a stale copy
learns how long the confirmed one stays fresh. ``CONDITIONAL_GET_RESPONSES``
is what the route adds to its ``responses=`` for the OpenAPI document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header
from starlette.responses import Response

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


@dataclass(frozen=True, slots=True)
class IfNoneMatch:
    """A parsed ``If-None-Match``: ``*``, or the opaque tags listed (``W/`` dropped)."""

    any: bool = False
    opaque_tags: frozenset[str] = frozenset()

    def matches(self, etag: str) -> bool:
        """Whether a response with ``etag`` is one the client already has.

        The weak comparison: ``W/"a"`` matches ``"a"``, because a GET only
        asks whether the representation changed, not byte-for-byte identity.
        """
        return self.any or _opaque(etag) in self.opaque_tags


NO_CONDITION = IfNoneMatch()


def parse_if_none_match(value: str | None) -> IfNoneMatch:
    """The header as a condition; a malformed one is ignored, as RFC 9110 §13.1 allows.

    Ignoring it only costs the client a full 200; refusing it with a 400
    would break clients that send a sloppy header and a cache would not.
    """
    if value is None or not value.strip():
        return NO_CONDITION
    if value.strip() == "*":
        return IfNoneMatch(any=True)
    tags: set[str] = set()
    position = 0
    while position < len(value):
        found = _ENTITY_TAG.match(value, position)
        if found is None:
            return NO_CONDITION
        tags.add(found.group(2))
        position = found.end()
    return IfNoneMatch(opaque_tags=frozenset(tags))


def _opaque(etag: str) -> str:
    return etag[2:] if etag.startswith("W/") else etag


def etag_of(body: bytes) -> str:
    """A strong ETag: a hash of the exact bytes, so equal tags mean equal bodies."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def cache_control(max_age_seconds: int) -> str:
    """What a shared or private cache may do with the response: keep it this long."""
    return f"public, max-age={max_age_seconds}"


def conditional_response(
    body: bytes,
    *,
    etag: str,
    condition: IfNoneMatch,
    media_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The 200 with ``body``, or a 304 when the client's ``condition`` matches ``etag``.

    ``headers`` (Cache-Control, Age, ...) go on both, as RFC 9110 §15.4.5
    wants of a 304.
    """
    sent = {**(headers or {}), "ETag": etag}
    if condition.matches(etag):
        return Response(status_code=304, headers=sent)
    return Response(body, media_type=media_type, headers=sent)


# A route declares it so the OpenAPI document lists the header; the value is
# parsed by ``parse_if_none_match``, which forgives what ``Header`` would refuse.
IfNoneMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description='ETags of copies you hold (`"a", W/"b"` or `*`): a match answers 304',
    ),
]

_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "A strong validator of the body; send it back in If-None-Match",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=N`: how long the copy may be used without asking again",
        "schema": {"type": "string"},
    },
    "Age": {
        "description": "Seconds the response spent in the server's cache; absent when fresh",
        "schema": {"type": "integer", "minimum": 0},
    },
}

CONDITIONAL_GET_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": _HEADERS},
    304: {
        "description": "Not Modified: the copy whose ETag you sent is current (no body)",
        "headers": _HEADERS,
    },
}
"""``responses=`` entries of a conditional GET: the 200's headers and the 304."""


def with_headers(
    responses: dict[int | str, dict[str, Any]], headers: Mapping[str, dict[str, Any]]
) -> dict[int | str, dict[str, Any]]:
    """``responses`` with more ``headers`` documented on the 200 and the 304."""
    merged = dict(responses)
    for status in (200, 304):
        merged[status] = {
            **merged[status],
            "headers": {**merged[status].get("headers", {}), **headers},
        }
    return merged
