"""A JWKS server per test module, reset for every test, and an HTTP client."""

from __future__ import annotations

import httpx
import pytest

from bazaar_common.testing.tokens import JwksServer


@pytest.fixture(scope="module")
def jwks_module_server():
    server = JwksServer().start()
    yield server
    server.stop()


@pytest.fixture
def jwks(jwks_module_server, monkeypatch):
    """The module's JWKS server, back to one published key and no fetches."""
    server = jwks_module_server
    monkeypatch.setattr(server.issuer, "keys", list(server.issuer.keys[:1]))
    monkeypatch.setattr(server, "available", True)
    monkeypatch.setattr(server, "fetch_count", 0)
    return server


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=httpx.Timeout(3.0, connect=2.0)) as client:
        yield client
