"""Fixtures of the identity tests: the local pool on the session's real moto server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from uuid import uuid4

import httpx
import pytest

from bazaar_common.auth.jwks import JwksKeySet
from bazaar_common.auth.verifier import TokenVerifier
from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_devstack.cognito import Identity, bootstrap_identity


def unique_prefix() -> str:
    return f"id{uuid4().hex[:8]}"


@pytest.fixture(scope="session")
async def identity(moto_server: MotoServer) -> Identity:
    return await bootstrap_identity(moto_server.url, REGION, prefix=unique_prefix())


@pytest.fixture(scope="session")
async def jwks_http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


@pytest.fixture(scope="session")
def make_verifier(jwks_http: httpx.AsyncClient) -> Callable[..., TokenVerifier]:
    """A verifier as a service builds it from AUTH_ISSUER, AUTH_JWKS_URL and AUTH_CLIENT_IDS."""

    def make(identity: Identity, *, issuer: str | None = None) -> TokenVerifier:
        keys = JwksKeySet(identity.jwks_url, http=jwks_http)
        return TokenVerifier(
            keys, issuer=issuer or identity.issuer, client_ids=[identity.client_id]
        )

    return make
