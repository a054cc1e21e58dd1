"""TokenVerifier against a real JWKS endpoint, with clocks the test moves."""

from __future__ import annotations

import time
import uuid

import pytest

from bazaar_common.auth.errors import InvalidToken, KeysUnavailable
from bazaar_common.auth.jwks import COLD_RETRY_SECONDS, JwksKeySet
from bazaar_common.auth.principal import Principal, Role
from bazaar_common.auth.verifier import MAX_TOKEN_LENGTH, TokenVerifier
from bazaar_common.testing.clock import FakeClock
from bazaar_common.testing.forged_tokens import (
    hmac_with_public_key,
    json_segment,
    signed_by_hand,
    unsigned,
    with_claims_changed,
    with_signature_flipped,
)
from bazaar_common.testing.gather import settle, successes
from bazaar_common.testing.tokens import SigningKey

COOLDOWN = 30.0
MAX_AGE = 600.0
LEEWAY = 30


@pytest.fixture
def issuer(jwks):
    return jwks.issuer


@pytest.fixture
def key_clock():
    return FakeClock()


@pytest.fixture
def wall_clock():
    return FakeClock(time.time())


def make_verifier(jwks, http, key_clock, wall_clock, **options) -> TokenVerifier:
    keys = JwksKeySet(
        f"{jwks.issuer_url}/.well-known/jwks.json",
        http=http,
        refetch_cooldown_seconds=COOLDOWN,
        max_age_seconds=MAX_AGE,
        clock=key_clock,
    )
    return TokenVerifier(
        keys,
        issuer=jwks.issuer_url,
        client_ids=[jwks.issuer.client_id],
        leeway_seconds=LEEWAY,
        clock=wall_clock,
        **options,
    )


@pytest.fixture
def verifier(jwks, http, key_clock, wall_clock):
    return make_verifier(jwks, http, key_clock, wall_clock)


def count_key_lookups(verifier: TokenVerifier, monkeypatch) -> list[str]:
    """Record the kids the verifier asks its key set for."""
    keys = verifier._keys
    lookups: list[str] = []
    real_key_for = keys.key_for

    async def key_for(kid: str):
        lookups.append(kid)
        return await real_key_for(kid)

    monkeypatch.setattr(keys, "key_for", key_for)
    return lookups


async def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as error:
        await verifier.verify(token)
    assert error.value.status == 401
    return error.value.reason


# A valid token and who it names -----------------------------------------------


async def test_valid_token_names_its_principal(verifier, issuer):
    principal = await verifier.verify(issuer.mint("alice", ["customers"], scope="a b"))

    assert isinstance(principal, Principal)
    assert principal.username == "alice"
    assert principal.subject == issuer.claims("alice", [])["sub"]
    assert principal.client_id == issuer.client_id
    assert principal.roles == frozenset({Role.CUSTOMER})
    assert principal.scopes == frozenset({"a", "b"})


async def test_username_falls_back_to_the_subject(verifier, issuer):
    claims = {k: v for k, v in issuer.claims("bob", []).items() if k != "username"}
    token = signed_by_hand(_header(issuer), claims, issuer.current_key)

    principal = await verifier.verify(token)

    assert principal.username == principal.subject


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        (["admins"], {Role.ADMIN}),
        (["customers"], {Role.CUSTOMER}),
        (["admins", "customers"], {Role.ADMIN, Role.CUSTOMER}),
        (["support"], set()),
        (["Admins", "admin", "administrators"], set()),
        ([], set()),
        (None, set()),
        ("admins", set()),
        ([["admins"], 7], set()),
    ],
    ids=[
        "admins",
        "customers",
        "both",
        "unknown-group",
        "near-miss-names",
        "no-groups",
        "claim-absent",
        "string-not-list",
        "non-string-members",
    ],
)
async def test_groups_map_to_roles(verifier, issuer, groups, roles):
    token = issuer.mint("carol", ["customers"], **{"cognito:groups": groups})

    principal = await verifier.verify(token)

    assert principal.roles == frozenset(roles)
    assert principal.is_admin == (Role.ADMIN in roles)
    assert principal.has_role(Role.CUSTOMER) == (Role.CUSTOMER in roles)


# Fetching keys ------------------------------------------------------------------


async def test_cold_cache_fetches_once_for_many_concurrent_verifies(verifier, issuer, jwks):
    tokens = [issuer.mint(f"user-{n}") for n in range(50)]

    principals = successes(await settle(verifier.verify(token) for token in tokens))

    assert [p.username for p in principals] == [f"user-{n}" for n in range(50)]
    assert jwks.fetch_count == 1


async def test_concurrent_verifies_of_one_token_on_a_cold_cache_fetch_once(verifier, issuer, jwks):
    token = issuer.admin_token()

    principals = successes(await settle(verifier.verify(token) for _ in range(20)))

    assert all(p.is_admin for p in principals)
    assert jwks.fetch_count == 1


async def test_flood_of_unknown_kids_costs_at_most_one_refetch(verifier, issuer, jwks, key_clock):
    await verifier.verify(issuer.admin_token())
    key_clock.advance(COOLDOWN)
    forged = [issuer.mint(headers={"kid": uuid.uuid4().hex}) for _ in range(200)]

    reasons = []
    for batch in range(0, len(forged), 20):  # concurrent bursts, one after the other
        burst = forged[batch : batch + 20]
        reasons += successes(await settle(refused(verifier, token) for token in burst))

    assert reasons == ["unknown signing key"] * len(forged)
    assert jwks.fetch_count <= 2


async def test_rotated_key_is_accepted_after_the_cooldown_without_a_new_verifier(
    verifier, issuer, jwks, key_clock
):
    old_token = issuer.admin_token()
    await verifier.verify(old_token)
    issuer.rotate()
    new_token = issuer.admin_token("grace")

    assert await refused(verifier, new_token) == "unknown signing key"
    key_clock.advance(COOLDOWN)
    principal = await verifier.verify(new_token)

    assert principal.username == "grace"
    assert (await verifier.verify(issuer.mint("old", key=issuer.keys[0]))).username == "old"
    assert jwks.fetch_count == 2


async def test_jwks_down_with_cold_cache_raises_keys_unavailable(verifier, issuer, jwks):
    jwks.available = False

    with pytest.raises(KeysUnavailable) as unavailable:
        await verifier.verify(issuer.admin_token())

    assert unavailable.value.status == 503
    assert "Retry-After" in unavailable.value.headers


async def test_cold_cache_outage_is_retried_at_most_once_per_cold_retry_interval(
    verifier, issuer, jwks, key_clock
):
    jwks.available = False
    token = issuer.admin_token()

    for _ in range(25):
        with pytest.raises(KeysUnavailable):
            await verifier.verify(token)
    assert jwks.fetch_count == 1

    key_clock.advance(COLD_RETRY_SECONDS)
    for _ in range(25):
        with pytest.raises(KeysUnavailable):
            await verifier.verify(token)
    assert jwks.fetch_count == 2

    jwks.available = True
    with pytest.raises(KeysUnavailable):  # back up, but not asked again yet
        await verifier.verify(token)
    key_clock.advance(COLD_RETRY_SECONDS)
    assert (await verifier.verify(token)).is_admin
    assert jwks.fetch_count == 3


async def test_warm_cache_keeps_verifying_while_jwks_is_down(verifier, issuer, jwks, key_clock):
    await verifier.verify(issuer.admin_token())
    jwks.available = False
    key_clock.advance(COOLDOWN)

    principal = await verifier.verify(issuer.customer_token("dave"))  # not a cached token

    assert principal.username == "dave"
    assert jwks.fetch_count == 1


async def test_stale_key_cache_past_max_age_refetches(verifier, issuer, jwks, key_clock):
    await verifier.verify(issuer.admin_token())
    key_clock.advance(MAX_AGE + 1)

    await verifier.verify(issuer.customer_token("erin"))
    await verifier.verify(issuer.customer_token("frank"))

    assert jwks.fetch_count == 2


# The verified-token cache -----------------------------------------------------------


async def test_verified_token_is_answered_from_cache_without_reverifying(
    verifier, issuer, monkeypatch
):
    token = issuer.admin_token()
    first = await verifier.verify(token)
    lookups = count_key_lookups(verifier, monkeypatch)

    second = await verifier.verify(token)

    assert second is first
    assert lookups == []
    # A different token does go to the keys: the spy works.
    await verifier.verify(issuer.customer_token())
    assert lookups == [issuer.current_key.kid]


async def test_cached_token_expires_at_exp_plus_leeway(verifier, issuer, wall_clock):
    exp = int(wall_clock.now) + 120
    token = issuer.mint("heidi", exp=exp)
    first = await verifier.verify(token)

    wall_clock.now = exp + LEEWAY - 0.5
    assert await verifier.verify(token) is first

    wall_clock.now = exp + LEEWAY
    assert await refused(verifier, token) == "token expired"


async def test_cached_token_past_exp_but_within_leeway_is_still_accepted(
    verifier, issuer, wall_clock
):
    exp = int(wall_clock.now) + 60
    token = issuer.mint("ivan", exp=exp)
    first = await verifier.verify(token)

    wall_clock.now = exp + 1
    assert await verifier.verify(token) is first


async def test_cache_is_bounded_and_evicts_the_oldest(
    jwks, http, key_clock, wall_clock, issuer, monkeypatch
):
    verifier = make_verifier(jwks, http, key_clock, wall_clock, cache_size=2)
    tokens = [issuer.mint(f"user-{n}") for n in range(3)]
    for token in tokens:
        await verifier.verify(token)
    lookups = count_key_lookups(verifier, monkeypatch)

    await verifier.verify(tokens[2])
    await verifier.verify(tokens[1])
    assert lookups == []
    await verifier.verify(tokens[0])
    assert len(lookups) == 1


async def test_refused_token_is_not_cached(verifier, issuer, monkeypatch):
    token = issuer.mint(token_use="id")
    assert await refused(verifier, token) == "not an access token"
    lookups = count_key_lookups(verifier, monkeypatch)

    assert await refused(verifier, token) == "not an access token"
    assert len(lookups) == 1


# Hostile and broken tokens ------------------------------------------------------------


def _claims(issuer, **overrides):
    return issuer.claims("mallory", ["admins"], **overrides)


def _header(issuer, **overrides):
    return {"alg": "RS256", "typ": "JWT", "kid": issuer.current_key.kid, **overrides}


def minted_without(claim: str):
    return lambda issuer: issuer.mint(**{claim: None})


HOSTILE_TOKENS = {
    "garbage": (lambda issuer: "not-a-token", {"malformed token"}),
    "two-segments": (
        lambda issuer: issuer.admin_token().rsplit(".", 1)[0],
        {"malformed token"},
    ),
    "header-not-json": (
        lambda issuer: "bm90IGpzb24." + issuer.admin_token().split(".", 1)[1],
        {"malformed token"},
    ),
    "header-not-an-object": (
        lambda issuer: f"{json_segment([1])}.{json_segment({})}.",
        {"malformed token"},
    ),
    "payload-not-json": (
        lambda issuer: signed_by_hand(_header(issuer), _claims(issuer), issuer.current_key).replace(
            ".", ".bm90IGpzb24", 1
        ),
        {"malformed token", "bad signature"},
    ),
    "too-long": (
        lambda issuer: issuer.mint(padding="x" * MAX_TOKEN_LENGTH),
        {"malformed token"},
    ),
    "alg-none": (
        lambda issuer: unsigned(_header(issuer, alg="none"), _claims(issuer)),
        {"unsupported algorithm"},
    ),
    "alg-None": (
        lambda issuer: unsigned(_header(issuer, alg="None"), _claims(issuer)),
        {"unsupported algorithm"},
    ),
    "hs256-with-public-key-pem": (
        lambda issuer: hmac_with_public_key(
            _header(issuer, alg="HS256"), _claims(issuer), issuer.current_key
        ),
        {"unsupported algorithm"},
    ),
    "rs512": (
        lambda issuer: issuer.mint(headers={"alg": "RS512"}),
        {"unsupported algorithm"},
    ),
    "no-kid": (
        lambda issuer: signed_by_hand(
            {"alg": "RS256", "typ": "JWT"}, _claims(issuer), issuer.current_key
        ),
        {"missing key id"},
    ),
    "empty-kid": (lambda issuer: issuer.mint(headers={"kid": ""}), {"missing key id"}),
    "kid-not-a-string": (
        lambda issuer: signed_by_hand(_header(issuer, kid=1), _claims(issuer), issuer.current_key),
        {"malformed token", "missing key id"},
    ),
    "unsupported-crit-header": (
        lambda issuer: signed_by_hand(
            _header(issuer, crit=["exp"]), _claims(issuer), issuer.current_key
        ),
        {"malformed token"},
    ),
    "unknown-kid": (
        lambda issuer: issuer.mint(headers={"kid": "no-such-key"}),
        {"unknown signing key"},
    ),
    "signed-by-a-stranger-with-a-real-kid": (
        lambda issuer: issuer.mint(key=SigningKey(kid=issuer.current_key.kid)),
        {"bad signature"},
    ),
    "tampered-payload": (
        lambda issuer: with_claims_changed(
            issuer.customer_token(), **{"cognito:groups": ["admins"]}
        ),
        {"bad signature"},
    ),
    "tampered-signature": (
        lambda issuer: with_signature_flipped(issuer.admin_token()),
        {"bad signature"},
    ),
    "signature-stripped": (
        lambda issuer: issuer.admin_token().rsplit(".", 1)[0] + ".",
        {"bad signature", "malformed token"},
    ),
    "expired": (
        lambda issuer: issuer.mint(iat=int(time.time()) - 7_200, exp=int(time.time()) - LEEWAY - 5),
        {"token expired"},
    ),
    "not-before-in-the-future": (
        lambda issuer: issuer.mint(nbf=int(time.time()) + LEEWAY + 60),
        {"token not yet valid"},
    ),
    "issued-in-the-future": (
        lambda issuer: issuer.mint(iat=int(time.time()) + LEEWAY + 60),
        {"token not yet valid", "issued in the future"},
    ),
    "wrong-issuer": (
        lambda issuer: issuer.mint(iss="https://cognito-idp.evil.example/pool"),
        {"wrong issuer"},
    ),
    "issuer-with-trailing-slash": (
        lambda issuer: issuer.mint(iss=issuer.issuer + "/"),
        {"wrong issuer"},
    ),
    "id-token": (lambda issuer: issuer.mint(token_use="id"), {"not an access token"}),
    "wrong-client": (lambda issuer: issuer.mint(client_id="someone-else"), {"client not allowed"}),
    "exp-not-a-number": (lambda issuer: issuer.mint(exp="tomorrow"), {"malformed token"}),
    "iat-not-a-number": (lambda issuer: issuer.mint(iat="today"), {"malformed token"}),
    **{
        f"missing-{claim}": (
            minted_without(claim),
            {f"missing claim {claim}"},
        )
        for claim in ["exp", "iat", "iss", "sub", "token_use", "client_id"]
    },
}


@pytest.mark.parametrize(
    ("make_token", "reasons"), list(HOSTILE_TOKENS.values()), ids=list(HOSTILE_TOKENS)
)
async def test_hostile_token_is_refused(verifier, issuer, make_token, reasons):
    await verifier.verify(issuer.admin_token())  # warm: refusals are not "keys unavailable"

    assert await refused(verifier, make_token(issuer)) in reasons


async def test_refusals_carry_an_rfc6750_challenge(verifier, issuer):
    with pytest.raises(InvalidToken) as error:
        await verifier.verify(issuer.mint(token_use="id"))

    challenge = error.value.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'error="invalid_token"' in challenge
    assert 'error_description="not an access token"' in challenge


async def test_forgeries_that_need_no_key_are_refused_without_fetching(verifier, issuer, jwks):
    claims = _claims(issuer)
    forgeries = [
        unsigned(_header(issuer, alg="none"), claims),
        hmac_with_public_key(_header(issuer, alg="HS256"), claims, issuer.current_key),
    ]

    for token in forgeries:
        assert await refused(verifier, token) == "unsupported algorithm"
    assert jwks.fetch_count == 0
