"""Verify a Cognito access token and say who it belongs to.

Only RS256 is accepted, whatever the token's header claims, so ``alg=none``
and HS256-with-the-public-key forgeries fail before any key is used. A token
that verified once is remembered until it expires: an RS256 verify costs
~60 us here, and a client sends the same token with every request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jwt

from bazaar_common.auth.errors import InvalidToken
from bazaar_common.auth.jwks import SIGNING_ALGORITHM, JwksKeySet
from bazaar_common.auth.principal import Principal

_REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "token_use", "client_id"]
MAX_TOKEN_LENGTH = 8_192


@dataclass(frozen=True, slots=True)
class _Verified:
    principal: Principal
    expires_at: float


class TokenVerifier:
    def __init__(
        self,
        keys: JwksKeySet,
        *,
        issuer: str,
        client_ids: Iterable[str],
        leeway_seconds: int = 30,
        cache_size: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._client_ids = frozenset(client_ids)
        self._leeway = leeway_seconds
        self._cache: OrderedDict[str, _Verified] = OrderedDict()
        self._cache_size = cache_size
        self._clock = clock

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            if self._clock() < cached.expires_at + self._leeway:
                self._cache.move_to_end(token)
                return cached.principal
            del self._cache[token]
            raise InvalidToken("token expired")
        principal, expires_at = await self._verify_signature_and_claims(token)
        self._remember(token, _Verified(principal, expires_at))
        return principal

    async def _verify_signature_and_claims(self, token: str) -> tuple[Principal, float]:
        if len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken("malformed token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise InvalidToken("malformed token") from None
        if header.get("alg") != SIGNING_ALGORITHM:
            raise InvalidToken("unsupported algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("missing key id")
        key = await self._keys.key_for(kid)
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[SIGNING_ALGORITHM],
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED_CLAIMS, "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("token expired") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("token not yet valid") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("wrong issuer") from None
        except jwt.InvalidSignatureError:
            raise InvalidToken("bad signature") from None
        except jwt.MissingRequiredClaimError as error:
            raise InvalidToken(f"missing claim {error.claim}") from None
        except jwt.InvalidTokenError:
            raise InvalidToken("malformed token") from None
        if claims["token_use"] != "access":  # noqa: S105 - a claim value, not a secret
            raise InvalidToken("not an access token")
        client_id = claims["client_id"]
        if not isinstance(client_id, str) or client_id not in self._client_ids:
            raise InvalidToken("client not allowed")
        if (
            not isinstance(claims["iat"], int | float)
            or claims["iat"] > self._clock() + self._leeway
        ):
            raise InvalidToken("issued in the future")
        return Principal.from_claims(claims), float(claims["exp"])

    def _remember(self, token: str, verified: _Verified) -> None:
        self._cache[token] = verified
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
