"""Moto's access tokens pass the services' own verifier, over its real JWKS endpoint."""

from __future__ import annotations

from uuid import uuid4

import jwt
import pytest

from bazaar_common.auth.errors import InvalidToken
from bazaar_common.auth.principal import Role
from bazaar_common.testing.moto import REGION
from bazaar_devstack.cognito import (
    DEMO_PASSWORD,
    IdentityError,
    SignInRefused,
    access_token,
    add_user,
    cognito_client,
)

# What moto 5.2 puts in an access token (observed); the verifier needs
# iss, sub, token_use, client_id, iat, exp; roles come from cognito:groups.
MOTO_ACCESS_CLAIMS = {
    "iss",
    "sub",
    "client_id",
    "token_use",
    "iat",
    "auth_time",
    "exp",
    "jti",
    "username",
    "origin_jti",
    "scope",
    "cognito:groups",
}


async def test_a_customer_token_verifies_as_that_customer(identity, moto_server, make_verifier):
    token = await access_token(moto_server.url, REGION, identity, "alice")

    principal = await make_verifier(identity).verify(token)

    assert principal.username == "alice"
    assert principal.roles == frozenset({Role.CUSTOMER})
    assert not principal.is_admin
    assert principal.client_id == identity.client_id


async def test_the_admin_token_verifies_as_an_admin(identity, moto_server, make_verifier):
    token = await access_token(moto_server.url, REGION, identity, "ada")

    principal = await make_verifier(identity).verify(token)

    assert principal.username == "ada"
    assert principal.roles == frozenset({Role.ADMIN})
    assert principal.is_admin


async def test_two_customers_are_two_subjects(identity, moto_server, make_verifier):
    verifier = make_verifier(identity)
    alice = await verifier.verify(await access_token(moto_server.url, REGION, identity, "alice"))
    bob = await verifier.verify(await access_token(moto_server.url, REGION, identity, "bob"))

    assert bob.roles == alice.roles == frozenset({Role.CUSTOMER})
    assert bob.subject != alice.subject


async def test_moto_tokens_carry_what_cognito_puts_in_them(identity, moto_server):
    token = await access_token(moto_server.url, REGION, identity, "ada")

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})

    assert header == {"typ": "JWT", "kid": "dummy", "alg": "RS256"}
    assert set(claims) == MOTO_ACCESS_CLAIMS
    assert claims["iss"] == identity.issuer
    assert claims["token_use"] == "access"
    assert claims["client_id"] == identity.client_id
    assert claims["cognito:groups"] == ["admins"]
    assert claims["exp"] - claims["iat"] == 3_600


async def test_the_issuer_is_cognitos_not_motos_url(identity, moto_server, make_verifier):
    """AUTH_ISSUER must be the Cognito form; the moto URL goes in AUTH_JWKS_URL only."""
    token = await access_token(moto_server.url, REGION, identity, "alice")
    verifier = make_verifier(identity, issuer=f"{moto_server.url}/{identity.pool_id}")

    with pytest.raises(InvalidToken, match="wrong issuer"):
        await verifier.verify(token)


async def test_an_id_token_of_the_pool_is_refused(identity, moto_server, make_verifier):
    async with cognito_client(moto_server.url, REGION) as cognito:
        answer = await cognito.initiate_auth(
            ClientId=identity.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": DEMO_PASSWORD},
        )

    with pytest.raises(InvalidToken, match="missing claim client_id"):
        await make_verifier(identity).verify(answer["AuthenticationResult"]["IdToken"])


async def test_a_wrong_password_is_refused_clearly(identity, moto_server):
    with pytest.raises(SignInRefused, match=r"'alice' refused.*Incorrect username or password"):
        await access_token(moto_server.url, REGION, identity, "alice", password="Wrong-pass-12")


async def test_an_unknown_user_is_refused_with_the_demo_users_named(identity, moto_server):
    with pytest.raises(SignInRefused, match=r"no such user \(demo users: alice, bob, ada\)"):
        await access_token(moto_server.url, REGION, identity, "mallory")


async def test_an_added_customer_signs_in_as_a_new_subject(identity, moto_server, make_verifier):
    username = f"shopper-{uuid4().hex[:8]}"
    await add_user(moto_server.url, REGION, identity, username)
    await add_user(moto_server.url, REGION, identity, username)  # idempotent

    principal = await make_verifier(identity).verify(
        await access_token(moto_server.url, REGION, identity, username)
    )

    assert principal.username == username
    assert principal.roles == frozenset({Role.CUSTOMER})


async def test_a_user_cannot_be_added_to_an_unknown_group(identity, moto_server):
    with pytest.raises(IdentityError, match="no group 'root'"):
        await add_user(moto_server.url, REGION, identity, "eve", group="root")
