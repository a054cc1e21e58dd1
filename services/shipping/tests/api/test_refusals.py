"""Refusals: no token is 401, bad input 422, making a shipment over HTTP 405."""

from __future__ import annotations

import pytest

SHIPMENTS = "/shipping/shipments"
# Fixed ids: a test's id must be the same in every process that collects it.
ID = "0b6e4f2a-3d71-4c85-a9e2-5f1b7c3d8e90"
READS = [SHIPMENTS, f"{SHIPMENTS}/{ID}", f"/shipping/orders/{ID}/shipment"]


@pytest.mark.parametrize("path", READS)
async def test_no_token_is_unauthorized(client, expect_problem, path):
    response = await client.get(path)

    expect_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_bad_token_is_unauthorized(client, expect_problem):
    response = await client.get(SHIPMENTS, headers={"Authorization": "Bearer garbage"})

    expect_problem(response, 401, "invalid-token")


async def test_shipments_are_not_made_over_http(client, ada, expect_problem, db):
    response = await client.post(SHIPMENTS, json={"order_id": ID}, headers=ada.headers)

    expect_problem(response, 405)
    assert await db.count("shipments") == 0


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "101"}, {"cursor": "nope"}])
async def test_a_bad_query_is_a_422(client, alice, expect_problem, params):
    response = await client.get(SHIPMENTS, params=params, headers=alice.headers)

    expect_problem(response, 422)


@pytest.mark.parametrize("path", [f"{SHIPMENTS}/not-a-uuid", "/shipping/orders/7/shipment"])
async def test_a_bad_id_is_a_422(client, alice, expect_problem, path):
    response = await client.get(path, headers=alice.headers)

    expect_problem(response, 422, "invalid-input")
