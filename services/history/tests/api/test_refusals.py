"""Refusals: no token is 401, bad input 422, any write 405; each a problem, never a change."""

from __future__ import annotations

import pytest

ORDERS = "/history/orders"
# Fixed ids: a test's id must be the same in every process that collects it.
ID = "0b6e4f2a-3d71-4c85-a9e2-5f1b7c3d8e90"
READS = [ORDERS, f"{ORDERS}/{ID}"]


@pytest.mark.parametrize("path", READS)
async def test_no_token_is_unauthorized(client, expect_problem, path):
    response = await client.get(path)

    expect_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_bad_token_is_unauthorized(client, expect_problem):
    response = await client.get(ORDERS, headers={"Authorization": "Bearer garbage"})

    expect_problem(response, 401, "invalid-token")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", ORDERS),
        ("put", f"{ORDERS}/{ID}"),
        ("patch", f"{ORDERS}/{ID}"),
        ("delete", f"{ORDERS}/{ID}"),
    ],
)
async def test_the_history_is_never_written_over_http(
    client, ada, expect_problem, db, method, path
):
    response = await client.request(method, path, json={"state": "CONFIRMED"}, headers=ada.headers)

    expect_problem(response, 405)
    assert await db.count("order_history") == 0


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "101"},
        {"cursor": "nope"},
        {"state": "SHIPPED"},
        {"state": "confirmed"},
        {"customer_id": ""},
        {"customer_id": "x" * 129},
        {"customer_id": "a\nb"},
    ],
    ids=[
        "limit-0",
        "limit-101",
        "cursor",
        "unknown-state",
        "lower-case-state",
        "empty-customer",
        "long-customer",
        "two-line-customer",
    ],
)
async def test_a_bad_query_is_a_422(client, ada, expect_problem, params):
    response = await client.get(ORDERS, params=params, headers=ada.headers)

    expect_problem(response, 422)


async def test_a_bad_order_id_is_a_422(client, alice, expect_problem):
    response = await client.get(f"{ORDERS}/not-a-uuid", headers=alice.headers)

    expect_problem(response, 422, "invalid-input")
