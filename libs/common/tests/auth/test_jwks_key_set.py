"""JwksKeySet against a real JWKS endpoint, with a clock the test moves."""

from __future__ import annotations

import uuid

import httpx
import pytest

from bazaar_common.auth.errors import InvalidToken, KeysUnavailable
from bazaar_common.auth.jwks import COLD_RETRY_SECONDS, JwksKeySet, parse_jwks
from bazaar_common.testing.clock import FakeClock
from bazaar_common.testing.gather import settle, successes
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.tokens import JwksServer, SigningKey

COOLDOWN = 30.0
MAX_AGE = 600.0


@pytest.fixture
def clock():
    return FakeClock()


def jwks_url(server: JwksServer) -> str:
    return f"{server.issuer_url}/.well-known/jwks.json"


@pytest.fixture
def key_set(jwks, http, clock):
    return JwksKeySet(
        jwks_url(jwks),
        http=http,
        refetch_cooldown_seconds=COOLDOWN,
        max_age_seconds=MAX_AGE,
        clock=clock,
    )


def current_kid(server: JwksServer) -> str:
    return server.issuer.current_key.kid


async def test_cold_cache_fetches_once_and_returns_the_published_key(key_set, jwks):
    key = await key_set.key_for(current_kid(jwks))

    assert jwks.fetch_count == 1
    published = jwks.issuer.current_key.private_key.public_key().public_numbers()
    assert key.key.public_numbers() == published


async def test_concurrent_cold_callers_share_one_fetch(key_set, jwks):
    kid = current_kid(jwks)

    keys = successes(await settle(key_set.key_for(kid) for _ in range(50)))

    assert jwks.fetch_count == 1
    assert all(key is keys[0] for key in keys)


async def test_warm_cache_answers_without_fetching(key_set, jwks, clock):
    kid = current_kid(jwks)
    await key_set.key_for(kid)
    clock.advance(MAX_AGE - 1)

    for _ in range(10):
        await key_set.key_for(kid)

    assert jwks.fetch_count == 1


async def test_unknown_kid_is_refused_as_invalid_token(key_set, jwks, clock):
    await key_set.key_for(current_kid(jwks))
    clock.advance(COOLDOWN)

    with pytest.raises(InvalidToken) as refused:
        await key_set.key_for("no-such-key")

    assert refused.value.reason == "unknown signing key"
    assert refused.value.status == 401
    assert jwks.fetch_count == 2  # the unknown kid was worth one refetch


async def test_flood_of_unknown_kids_refetches_at_most_once_per_cooldown(key_set, jwks, clock):
    await key_set.key_for(current_kid(jwks))
    clock.advance(COOLDOWN)

    async def attempt(kid: str) -> None:
        with pytest.raises(InvalidToken):
            await key_set.key_for(kid)

    successes(await settle(attempt(uuid.uuid4().hex) for _ in range(200)))
    assert jwks.fetch_count <= 2

    # Still inside the cooldown: more invented kids cost no fetch at all.
    clock.advance(COOLDOWN / 2)
    before = jwks.fetch_count
    for _ in range(50):
        await attempt(uuid.uuid4().hex)
    assert jwks.fetch_count == before


async def test_unknown_kid_right_after_the_cold_fetch_waits_for_the_cooldown(key_set, jwks, clock):
    await key_set.key_for(current_kid(jwks))

    with pytest.raises(InvalidToken):
        await key_set.key_for("no-such-key")
    assert jwks.fetch_count == 1

    clock.advance(COOLDOWN - 0.001)
    with pytest.raises(InvalidToken):
        await key_set.key_for("no-such-key")
    assert jwks.fetch_count == 1

    clock.advance(0.001)
    with pytest.raises(InvalidToken):
        await key_set.key_for("no-such-key")
    assert jwks.fetch_count == 2


async def test_rotated_key_is_picked_up_after_the_cooldown(key_set, jwks, clock):
    old_kid = current_kid(jwks)
    await key_set.key_for(old_kid)
    new_kid = jwks.issuer.rotate().kid

    with pytest.raises(InvalidToken):  # within the cooldown: not fetched yet
        await key_set.key_for(new_kid)
    clock.advance(COOLDOWN)
    new_key = await key_set.key_for(new_kid)

    published = jwks.issuer.current_key.private_key.public_key().public_numbers()
    assert new_key.key.public_numbers() == published
    assert await key_set.key_for(old_kid) is not None  # old keys stay usable
    assert jwks.fetch_count == 2


async def test_concurrent_callers_with_a_new_kid_share_one_refetch(key_set, jwks, clock):
    await key_set.key_for(current_kid(jwks))
    new_kid = jwks.issuer.rotate().kid
    clock.advance(COOLDOWN)

    keys = successes(await settle(key_set.key_for(new_kid) for _ in range(20)))

    assert all(key is keys[0] for key in keys)
    assert jwks.fetch_count == 2


async def test_jwks_down_with_cold_cache_raises_keys_unavailable(key_set, jwks):
    jwks.available = False

    with pytest.raises(KeysUnavailable) as unavailable:
        await key_set.key_for(current_kid(jwks))

    assert unavailable.value.status == 503
    assert unavailable.value.headers["Retry-After"].isdigit()
    assert jwks.fetch_count == 1


async def test_concurrent_cold_callers_during_an_outage_share_one_failed_fetch(key_set, jwks):
    jwks.available = False
    kid = current_kid(jwks)

    results = await settle(key_set.key_for(kid) for _ in range(20))

    assert all(isinstance(result, KeysUnavailable) for result in results)
    assert jwks.fetch_count == 1


async def test_cold_outage_is_retried_at_most_once_per_cold_retry_interval(key_set, jwks, clock):
    jwks.available = False
    kid = current_kid(jwks)
    with pytest.raises(KeysUnavailable):
        await key_set.key_for(kid)

    for _ in range(20):
        with pytest.raises(KeysUnavailable):
            await key_set.key_for(kid)
    clock.advance(COLD_RETRY_SECONDS - 0.001)
    with pytest.raises(KeysUnavailable):
        await key_set.key_for(kid)
    assert jwks.fetch_count == 1

    clock.advance(0.001)
    with pytest.raises(KeysUnavailable):
        await key_set.key_for(kid)
    assert jwks.fetch_count == 2

    jwks.available = True
    clock.advance(COLD_RETRY_SECONDS)
    assert await key_set.key_for(kid) is not None
    assert jwks.fetch_count == 3


async def test_cold_retry_is_sooner_than_the_cooldown(key_set, jwks, clock):
    assert COLD_RETRY_SECONDS < COOLDOWN
    jwks.available = False
    with pytest.raises(KeysUnavailable):
        await key_set.key_for(current_kid(jwks))

    jwks.available = True
    clock.advance(COLD_RETRY_SECONDS)

    assert await key_set.key_for(current_kid(jwks)) is not None
    assert jwks.fetch_count == 2


async def test_unreachable_jwks_with_cold_cache_raises_keys_unavailable(http, clock):
    key_set = JwksKeySet(
        f"http://127.0.0.1:{free_port()}/.well-known/jwks.json", http=http, clock=clock
    )

    with pytest.raises(KeysUnavailable):
        await key_set.key_for("test-key-1")


@pytest.mark.parametrize(
    "body",
    [b"<html>not json</html>", b'{"keys": "nope"}', b"[]"],
    ids=["not-json", "keys-not-a-list", "not-an-object"],
)
async def test_unusable_jwks_document_with_cold_cache_raises_keys_unavailable(body, clock):
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as http:
        key_set = JwksKeySet("http://idp.test/.well-known/jwks.json", http=http, clock=clock)

        with pytest.raises(KeysUnavailable):
            await key_set.key_for("test-key-1")


async def test_warm_cache_keeps_working_while_jwks_is_down(key_set, jwks, clock):
    kid = current_kid(jwks)
    key = await key_set.key_for(kid)
    jwks.available = False

    clock.advance(COOLDOWN)
    assert await key_set.key_for(kid) is key
    with pytest.raises(InvalidToken):  # an unknown kid: one failed refetch, not a 503
        await key_set.key_for("no-such-key")
    assert jwks.fetch_count == 2


async def test_stale_cache_past_max_age_refetches(key_set, jwks, clock):
    kid = current_kid(jwks)
    await key_set.key_for(kid)

    clock.advance(MAX_AGE)
    await key_set.key_for(kid)
    assert jwks.fetch_count == 1  # exactly max_age old is not yet stale

    clock.advance(0.001)
    await key_set.key_for(kid)
    await key_set.key_for(kid)
    assert jwks.fetch_count == 2  # one refetch, then fresh again


async def test_stale_cache_drops_a_key_the_identity_provider_withdrew(key_set, jwks, clock):
    old_kid = current_kid(jwks)
    await key_set.key_for(old_kid)
    jwks.issuer.rotate()
    jwks.issuer.keys.pop(0)

    clock.advance(MAX_AGE + 1)
    with pytest.raises(InvalidToken):
        await key_set.key_for(old_kid)
    assert jwks.fetch_count == 2


async def test_stale_cache_still_serves_its_keys_while_jwks_is_down(key_set, jwks, clock):
    kid = current_kid(jwks)
    key = await key_set.key_for(kid)
    jwks.available = False

    clock.advance(MAX_AGE + 1)
    assert await key_set.key_for(kid) is key
    assert await key_set.key_for(kid) is key  # and retries only after the cooldown
    assert jwks.fetch_count == 2

    clock.advance(COOLDOWN)
    assert await key_set.key_for(kid) is key
    assert jwks.fetch_count == 3


# parse_jwks ---------------------------------------------------------------


@pytest.fixture(scope="module")
def good_jwk():
    return SigningKey(kid="good").public_jwk()


def without(entry: dict, name: str) -> dict:
    return {key: value for key, value in entry.items() if key != name}


def test_parse_jwks_reads_rsa_signing_keys_by_kid(good_jwk):
    other = SigningKey(kid="other").public_jwk()

    keys = parse_jwks({"keys": [good_jwk, other]})

    assert sorted(keys) == ["good", "other"]
    assert keys["good"].algorithm_name == "RS256"


def test_parse_jwks_accepts_keys_without_use_or_alg(good_jwk):
    keys = parse_jwks({"keys": [without(without(good_jwk, "use"), "alg")]})

    assert list(keys) == ["good"]


@pytest.mark.parametrize(
    "make_entry",
    [
        pytest.param(lambda good: {"kty": "oct", "k": "c2VjcmV0", "kid": "bad"}, id="symmetric"),
        pytest.param(
            lambda good: {
                "kty": "EC",
                "crv": "P-256",
                "kid": "bad",
                "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
            },
            id="ec",
        ),
        pytest.param(lambda good: {**good, "kid": "bad", "use": "enc"}, id="use-enc"),
        pytest.param(lambda good: {**good, "kid": "bad", "alg": "RS512"}, id="alg-rs512"),
        pytest.param(lambda good: {**good, "kid": "bad", "alg": "HS256"}, id="alg-hs256"),
        pytest.param(lambda good: without(good, "kid"), id="no-kid"),
        pytest.param(lambda good: {**good, "kid": 7}, id="kid-not-string"),
        pytest.param(lambda good: "not-an-object", id="not-an-object"),
        pytest.param(lambda good: {**without(good, "n"), "kid": "bad"}, id="no-modulus"),
        pytest.param(lambda good: {**good, "kid": "bad", "n": "!!!!"}, id="garbage-modulus"),
        pytest.param(lambda good: {**good, "kid": "bad", "n": 12345}, id="modulus-not-string"),
        pytest.param(lambda good: {**good, "kid": "bad", "e": None}, id="null-exponent"),
    ],
)
def test_parse_jwks_skips_keys_it_cannot_use(good_jwk, make_entry):
    keys = parse_jwks({"keys": [make_entry(good_jwk), good_jwk]})

    assert list(keys) == ["good"]


@pytest.mark.parametrize(
    "document",
    [None, [], "keys", {"nokeys": []}, {"keys": {"kid": "x"}}],
    ids=["null", "list", "string", "no-keys", "keys-not-a-list"],
)
def test_parse_jwks_refuses_what_is_not_a_jwks_document(document):
    with pytest.raises(ValueError, match="not a JWKS document"):
        parse_jwks(document)


def test_parse_jwks_of_an_empty_key_list_is_empty():
    assert parse_jwks({"keys": []}) == {}


async def test_a_bad_key_in_the_published_set_does_not_hide_the_good_ones(
    key_set, jwks, monkeypatch
):
    good_key = jwks.issuer.current_key
    original_jwks = jwks.issuer.jwks
    broken = {**good_key.public_jwk(), "kid": "broken", "n": "!!!!"}
    monkeypatch.setattr(jwks.issuer, "jwks", lambda: {"keys": [broken, *original_jwks()["keys"]]})

    assert await key_set.key_for(good_key.kid) is not None
    with pytest.raises(InvalidToken):
        await key_set.key_for("broken")
