"""The identity provider's public keys, fetched over HTTP and cached.

Fetches are rare and bounded: a cold cache fetches once (concurrent callers
share that fetch); an unknown ``kid`` refetches at most once per cooldown, so
a flood of tokens with invented kids cannot flood the identity provider; a
key added by a rotation is picked up by that refetch without a restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from bazaar_common.auth.errors import InvalidToken, KeysUnavailable

logger = logging.getLogger("bazaar.auth")
SIGNING_ALGORITHM = "RS256"
# With no keys at all every request fails, so retry sooner than the cooldown,
# but still at most this often while the identity provider is down.
COLD_RETRY_SECONDS = 1.0


def parse_jwks(document: Any) -> dict[str, jwt.PyJWK]:
    """The RSA signing keys of a JWKS document, by kid; other keys are skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        if (
            entry.get("use", "sig") != "sig"
            or entry.get("alg", SIGNING_ALGORITHM) != SIGNING_ALGORITHM
        ):
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str):
            continue
        try:
            keys[kid] = jwt.PyJWK(entry, algorithm=SIGNING_ALGORITHM)
        except (jwt.PyJWKError, jwt.InvalidKeyError):
            logger.warning("jwks: skipping unusable key", extra={"kid": kid})
    return keys


class JwksKeySet:
    def __init__(
        self,
        url: str,
        *,
        http: httpx.AsyncClient,
        refetch_cooldown_seconds: float = 30.0,
        max_age_seconds: float = 3_600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._http = http
        self._cooldown = refetch_cooldown_seconds
        self._max_age = max_age_seconds
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> jwt.PyJWK:
        key = self._keys.get(kid)
        if key is not None and not self._is_stale():
            return key
        if self._lock.locked():
            # A fetch is in flight: share its outcome instead of refusing.
            async with self._lock:
                pass
        elif self._fetched_at is None:
            if not self._may_refetch(COLD_RETRY_SECONDS):
                raise KeysUnavailable()
            await self._refresh()
        elif self._may_refetch(self._cooldown):
            await self._refresh()
        if self._fetched_at is None:
            raise KeysUnavailable()
        key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        return key

    def _is_stale(self) -> bool:
        return self._fetched_at is not None and self._clock() - self._fetched_at > self._max_age

    def _may_refetch(self, interval: float) -> bool:
        return self._attempted_at is None or self._clock() - self._attempted_at >= interval

    async def _refresh(self) -> None:
        # Callers check `locked()` first and acquiring a free asyncio lock does
        # not yield, so exactly one fetch runs and everyone else waits on it.
        async with self._lock:
            self._attempted_at = self._clock()
            try:
                response = await self._http.get(self._url)
                response.raise_for_status()
                keys = parse_jwks(response.json())
            except (httpx.HTTPError, ValueError) as error:
                # A warm cache keeps serving; a cold one answers 503 (key_for).
                logger.warning("jwks: fetch failed: %s", type(error).__name__)
                return
            self._keys = keys
            self._fetched_at = self._clock()
            logger.info("jwks: fetched", extra={"key_count": len(keys)})
