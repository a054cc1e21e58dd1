"""Bad query parameters: a 422 problem naming the field, whoever asks."""

from __future__ import annotations

import base64

import pytest

PAYMENTS = "/payments"


def fields(problem) -> set[str]:
    return {error["field"] for error in problem["errors"]}


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_QUERIES = [
    ({"order_id": "not-a-uuid"}, "query.order_id"),
    ({"order_id": "1"}, "query.order_id"),
    ({"order_id": "' OR 1=1 --"}, "query.order_id"),
    ({"order_id": "\u0000"}, "query.order_id"),
    ({"limit": "0"}, "query.limit"),
    ({"limit": "101"}, "query.limit"),
    ({"limit": "-1"}, "query.limit"),
    ({"limit": "ten"}, "query.limit"),
    ({"limit": "1.5"}, "query.limit"),
    ({"limit": str(2**64)}, "query.limit"),
]


@pytest.mark.parametrize(("params", "field"), BAD_QUERIES, ids=[str(p) for p, _ in BAD_QUERIES])
async def test_a_bad_query_parameter_is_a_422_naming_it(
    client, alice, expect_problem, params, field
):
    response = await client.get(PAYMENTS, params=params, headers=alice.headers)

    problem = expect_problem(response, 422, "invalid-input")
    assert fields(problem) == {field}


BAD_CURSORS = {
    "empty": "",
    "too-long": "x" * 201,
    "not-base64": "!!!",
    "garbage": b64("garbage"),
    "no-time": b64("|00000000-0000-0000-0000-000000000000"),
    "bad-uuid": b64("2030-01-01T00:00:00+00:00|nope"),
    "naive-time": b64("2030-01-01T00:00:00|00000000-0000-0000-0000-000000000000"),
    "three-parts": b64("2030-01-01T00:00:00+00:00|a|b"),
    "not-ascii": b64("\u00e9\u00e9"),
}


@pytest.mark.parametrize("cursor", list(BAD_CURSORS.values()), ids=list(BAD_CURSORS))
async def test_a_cursor_this_api_never_returned_is_a_422(client, alice, expect_problem, cursor):
    response = await client.get(PAYMENTS, params={"cursor": cursor}, headers=alice.headers)

    problem = expect_problem(response, 422, "invalid-cursor")
    assert problem["detail"] == "The cursor is not one this API returned."


@pytest.mark.parametrize("payment_id", ["not-a-uuid", "1", "%00", "' OR '1'='1"])
async def test_a_bad_payment_id_is_a_422(client, admin, expect_problem, payment_id):
    response = await client.get(f"{PAYMENTS}/{payment_id}", headers=admin.headers)

    problem = expect_problem(response, 422, "invalid-input")
    assert fields(problem) == {"path.payment_id"}


async def test_writes_are_not_routes_here(client, admin, expect_problem):
    response = await client.post(PAYMENTS, json={}, headers=admin.headers)
    expect_problem(response, 405)
