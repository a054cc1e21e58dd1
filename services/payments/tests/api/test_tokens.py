"""Every payments route needs a valid token; refusals are problems and reveal nothing."""

from __future__ import annotations

import time

import pytest

from bazaar_common.testing.forged_tokens import with_claims_changed

PAYMENTS = "/payments"


def routes() -> list[str]:
    # Fixed ids: a test's id must be the same in every process that collects it.
    return [
        PAYMENTS,
        f"{PAYMENTS}/0b6e4f2a-3d71-4c85-a9e2-5f1b7c3d8e90",
        f"{PAYMENTS}?order_id=9a2c5e71-4f8b-4d36-b1e0-7c3f5a9d2e48",
    ]


HOSTILE = {
    "no-token": (lambda issuer: None, False),
    "basic-scheme": (lambda issuer: "Basic YWRtaW46YWRtaW4=", False),
    "garbage": (lambda issuer: "Bearer garbage", True),
    "expired": (
        lambda issuer: (
            "Bearer "
            + issuer.mint(
                groups=["admins"], iat=int(time.time()) - 7_200, exp=int(time.time()) - 600
            )
        ),
        True,
    ),
    "customer-made-admin": (
        lambda issuer: (
            "Bearer "
            + with_claims_changed(issuer.customer_token(), **{"cognito:groups": ["admins"]})
        ),
        True,
    ),
}


@pytest.mark.parametrize("route", routes())
@pytest.mark.parametrize(("authorization", "presented"), list(HOSTILE.values()), ids=list(HOSTILE))
async def test_a_missing_or_bad_token_is_a_401(
    client, token_issuer, make_payment, expect_problem, route, authorization, presented
):
    await make_payment("someone")
    header = authorization(token_issuer)
    headers = {} if header is None else {"Authorization": header}

    response = await client.get(route, headers=headers)

    expect_problem(response, 401)
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer")
    assert ('error="invalid_token"' in challenge) is presented
    assert "someone" not in response.text
