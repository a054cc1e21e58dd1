"""The audit trail is for admins: everyone else is refused, with a problem, and sees nothing."""

from __future__ import annotations

import pytest

from bazaar_common.testing.forged_tokens import with_signature_flipped

# Fixed ids: a test's id must be the same in every process that collects it.
ROUTES = ["/audit/events", "/audit/orders/6d1f3a52-8c4e-4b7a-9f21-3e5d7c9a0b14/timeline"]


@pytest.mark.parametrize("path", ROUTES)
async def test_a_customer_is_forbidden(client, customer, store, envelopes, expect_problem, path):
    await store(envelopes("OrderPlaced"))
    response = await client.get(path, headers=customer)
    expect_problem(response, 403, "forbidden")
    assert "OrderPlaced" not in response.text


@pytest.mark.parametrize("path", ROUTES)
async def test_no_token_is_unauthorized(client, expect_problem, path):
    response = await client.get(path)
    expect_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ROUTES)
async def test_a_bad_token_is_unauthorized(client, token_issuer, expect_problem, path):
    for token in ["garbage", with_signature_flipped(token_issuer.admin_token())]:
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        expect_problem(response, 401, "invalid-token")


async def test_refusal_comes_before_input_checks(client, customer, expect_problem):
    # A caller who may not read learns nothing about what input is valid.
    expect_problem(await client.get("/audit/events", params={"type": "Nope"}), 401)
    response = await client.get("/audit/orders/not-a-uuid/timeline", headers=customer)
    expect_problem(response, 403)


async def test_an_admin_reads(api):
    assert (await api.page())["items"] == []
