"""Hostile tokens against an admin write: refused with a problem, and nothing written.

Every case POSTs a valid product with some Authorization header and checks the
refusal (status, problem+json, RFC 6750 challenge) and that the product does
not exist afterwards.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest

from bazaar_common.auth.jwks import COLD_RETRY_SECONDS
from bazaar_common.testing.app_client import running_app_client, truncate_tables
from bazaar_common.testing.forged_tokens import (
    b64url_decode,
    hmac_with_public_key,
    signed_by_hand,
    unsigned,
    with_claims_changed,
    with_signature_flipped,
)
from bazaar_common.testing.tokens import JwksServer, SigningKey, TokenIssuer
from bazaar_inventory.adapters.tables import metadata
from bazaar_inventory.main import create_app
from bazaar_inventory.settings import InventorySettings

PRODUCTS = "/inventory/products"
SKU = "HT-1"
LEEWAY = 30  # the default auth_leeway_seconds the session app runs with


def product(sku: str = SKU) -> dict:
    return {"sku": sku, "name": "x", "price": {"amount_minor": 100, "currency": "EUR"}}


# Forgeries, for what PyJWT refuses to produce -------------------------------------------


def admin_claims(issuer: TokenIssuer) -> dict:
    return issuer.claims("mallory", ["admins"])


def jwt_header(issuer: TokenIssuer, alg: str) -> dict:
    return {"alg": alg, "typ": "JWT", "kid": issuer.current_key.kid}


def alg_none_token(issuer: TokenIssuer) -> str:
    return unsigned(jwt_header(issuer, "none"), admin_claims(issuer))


def hs256_with_public_key_pem(issuer: TokenIssuer) -> str:
    """The classic key-confusion forgery: HMAC keyed with the published RSA key."""
    return hmac_with_public_key(
        jwt_header(issuer, "HS256"), admin_claims(issuer), issuer.current_key
    )


def rs256_with_header(issuer: TokenIssuer, **header: object) -> str:
    """Properly signed, with a header PyJWT would not write (e.g. a non-string kid)."""
    full_header = {"alg": "RS256", "typ": "JWT", **header}
    return signed_by_hand(full_header, admin_claims(issuer), issuer.current_key)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def now() -> int:
    return int(time.time())


# Requests and what every refusal must look like -----------------------------------------


async def post_product(client, authorization: str | None, sku: str = SKU):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if authorization is not None:
        headers["Authorization"] = authorization
    return await client.post(PRODUCTS, json=product(sku), headers=headers)


def assert_problem(response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("https://")


def assert_unauthorized(response, *, token_presented: bool) -> None:
    assert_problem(response, 401)
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.startswith("Bearer"), challenge
    if token_presented:
        assert 'error="invalid_token"' in challenge, challenge


async def assert_not_written(client, sku: str = SKU) -> None:
    response = await client.get(f"{PRODUCTS}/{sku}")
    assert response.status_code == 404, response.text


# The matrix ------------------------------------------------------------------------


# id -> (Authorization header value, or None for no header; was a token presented?)
HOSTILE = {
    "no-token": (lambda issuer: None, False),
    "basic-scheme": (lambda issuer: "Basic YWRtaW46YWRtaW4=", False),
    "token-without-scheme": (lambda issuer: issuer.admin_token(), False),
    "bearer-without-token": (lambda issuer: "Bearer", False),
    "garbage": (lambda issuer: bearer("garbage"), True),
    "two-segments": (lambda issuer: bearer(issuer.admin_token().rsplit(".", 1)[0]), True),
    "too-long": (lambda issuer: bearer(issuer.mint(padding="x" * 9_000, groups=["admins"])), True),
    "alg-none": (lambda issuer: bearer(alg_none_token(issuer)), True),
    "hs256-keyed-with-rsa-public-key": (
        lambda issuer: bearer(hs256_with_public_key_pem(issuer)),
        True,
    ),
    "no-kid": (lambda issuer: bearer(rs256_with_header(issuer)), True),
    "kid-not-a-string": (lambda issuer: bearer(rs256_with_header(issuer, kid=1)), True),
    "unknown-kid": (
        lambda issuer: bearer(issuer.mint(groups=["admins"], headers={"kid": "no-such-key"})),
        True,
    ),
    "signed-by-a-stranger-with-a-real-kid": (
        lambda issuer: bearer(
            issuer.mint(groups=["admins"], key=SigningKey(issuer.current_key.kid))
        ),
        True,
    ),
    "expired": (
        lambda issuer: bearer(
            issuer.mint(groups=["admins"], iat=now() - 7_200, exp=now() - LEEWAY - 60)
        ),
        True,
    ),
    "not-before-in-the-future": (
        lambda issuer: bearer(issuer.mint(groups=["admins"], nbf=now() + LEEWAY + 600)),
        True,
    ),
    "issued-in-the-future": (
        lambda issuer: bearer(
            issuer.mint(groups=["admins"], iat=now() + LEEWAY + 600, exp=now() + 7_200)
        ),
        True,
    ),
    "wrong-issuer": (
        lambda issuer: bearer(issuer.mint(groups=["admins"], iss="https://idp.evil.example")),
        True,
    ),
    "id-token": (lambda issuer: bearer(issuer.mint(groups=["admins"], token_use="id")), True),
    "wrong-client-id": (
        lambda issuer: bearer(issuer.mint(groups=["admins"], client_id="someone-else")),
        True,
    ),
    "missing-exp": (lambda issuer: bearer(issuer.mint(groups=["admins"], exp=None)), True),
    "missing-sub": (lambda issuer: bearer(issuer.mint(groups=["admins"], sub=None)), True),
    "missing-token-use": (
        lambda issuer: bearer(issuer.mint(groups=["admins"], token_use=None)),
        True,
    ),
    "tampered-payload-customer-to-admin": (
        lambda issuer: bearer(
            with_claims_changed(issuer.customer_token(), **{"cognito:groups": ["admins"]})
        ),
        True,
    ),
    "tampered-payload-extended-exp": (
        lambda issuer: bearer(
            with_claims_changed(
                issuer.mint(groups=["admins"], iat=now() - 7_200, exp=now() - 3_600),
                exp=now() + 3_600,
            )
        ),
        True,
    ),
    "tampered-signature": (
        lambda issuer: bearer(with_signature_flipped(issuer.admin_token())),
        True,
    ),
}


@pytest.mark.parametrize(
    ("make_authorization", "token_presented"), list(HOSTILE.values()), ids=list(HOSTILE)
)
async def test_hostile_token_is_refused_and_nothing_is_written(
    client, token_issuer, make_authorization, token_presented
):
    response = await post_product(client, make_authorization(token_issuer))

    assert_unauthorized(response, token_presented=token_presented)
    await assert_not_written(client)


async def test_missing_token_challenge_carries_no_error_code(client):
    response = await post_product(client, None)

    assert_unauthorized(response, token_presented=False)
    assert "error=" not in response.headers["www-authenticate"]  # RFC 6750 section 3.1


async def test_flood_of_unknown_kids_is_refused_with_bounded_jwks_fetches(
    client, token_issuer, jwks_server
):
    tokens = [
        token_issuer.mint(groups=["admins"], headers={"kid": uuid.uuid4().hex}) for _ in range(100)
    ]
    fetches_before = jwks_server.fetch_count

    responses = []
    for batch in range(0, len(tokens), 10):  # concurrent bursts, one after the other
        burst = tokens[batch : batch + 10]
        responses += await asyncio.gather(*(post_product(client, bearer(t)) for t in burst))

    assert len(responses) == 100
    for response in responses:
        assert_unauthorized(response, token_presented=True)
    assert jwks_server.fetch_count - fetches_before <= 1  # the session app's cooldown is 30 s
    await assert_not_written(client)


async def test_customer_token_is_forbidden_and_nothing_is_written(client, token_issuer):
    response = await post_product(client, bearer(token_issuer.customer_token()))

    assert_problem(response, 403)
    await assert_not_written(client)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
async def test_admin_token_creates_the_product(client, token_issuer, scheme):
    response = await post_product(client, f"{scheme} {token_issuer.admin_token()}")

    assert response.status_code == 201, response.text
    assert response.json()["sku"] == SKU
    assert (await client.get(f"{PRODUCTS}/{SKU}")).status_code == 200


# Apps of their own, for a JWKS the test can rotate or take down ------------------------


@contextmanager
def running_jwks_server() -> Iterator[JwksServer]:
    server = JwksServer().start()
    try:
        yield server
    finally:
        server.stop()


def settings_trusting(
    settings: InventorySettings, jwks: JwksServer, **overrides
) -> InventorySettings:
    """The session's settings, but trusting another JWKS server's issuer."""
    values = {
        **settings.model_dump(),
        "auth_issuer": jwks.issuer_url,
        "auth_client_ids": [jwks.issuer.client_id],
        **overrides,
    }
    return InventorySettings.model_validate(values)


@asynccontextmanager
async def own_app_client(settings: InventorySettings, jwks: JwksServer) -> AsyncIterator:
    """An inventory app trusting ``jwks``, refetching for an unknown kid at once."""
    app = create_app(settings_trusting(settings, jwks, auth_jwks_cooldown_seconds=0.0))
    async with running_app_client(app) as client:
        try:
            yield client
        finally:
            await truncate_tables(app.state.engine, metadata)


async def test_key_published_after_the_first_fetch_is_accepted_without_restart(app, settings):
    with running_jwks_server() as jwks:
        async with own_app_client(settings, jwks) as client:
            first = await post_product(client, bearer(jwks.issuer.admin_token()), sku="HT-1")
            assert first.status_code == 201, first.text
            assert jwks.fetch_count == 1

            new_key = jwks.issuer.rotate()
            token = jwks.issuer.admin_token()
            assert json.loads(b64url_decode(token.split(".")[0]))["kid"] == new_key.kid
            second = await post_product(client, bearer(token), sku="HT-2")

            assert second.status_code == 201, second.text
            assert jwks.fetch_count == 2
            assert (await client.get(f"{PRODUCTS}/HT-2")).status_code == 200


async def test_jwks_down_with_cold_cache_is_503_then_recovers(app, settings):
    with running_jwks_server() as jwks:
        async with own_app_client(settings, jwks) as client:
            token = jwks.issuer.admin_token()
            jwks.available = False

            response = await post_product(client, bearer(token))

            assert_problem(response, 503)
            assert int(response.headers["retry-after"]) > 0
            await assert_not_written(client)
            assert jwks.fetch_count == 1

            jwks.available = True
            await asyncio.sleep(COLD_RETRY_SECONDS + 0.05)  # cold retries are rate-limited
            response = await post_product(client, bearer(token))

            assert response.status_code == 201, response.text
            assert (await client.get(f"{PRODUCTS}/{SKU}")).status_code == 200
