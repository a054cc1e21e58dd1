"""Refusals: no token is 401, a customer making a record 403, bad input 422; never a change."""

from __future__ import annotations

import pytest

RECORDS = "/history"
# Every POST needs one; these refusals are about the rest of the request.
KEY = {"Idempotency-Key": "refused-1"}
# Fixed ids: a test's id must be the same in every process that collects it.
READS = [RECORDS, f"{RECORDS}/0b6e4f2a-3d71-4c85-a9e2-5f1b7c3d8e90"]


@pytest.mark.parametrize("path", READS)
async def test_no_token_is_unauthorized(client, expect_problem, path):
    response = await client.get(path)

    expect_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_bad_token_is_unauthorized(client, expect_problem):
    response = await client.get(RECORDS, headers={"Authorization": "Bearer garbage"})

    expect_problem(response, 401, "invalid-token")


async def test_a_customer_may_not_make_records(client, alice, expect_problem, db):
    response = await client.post(
        RECORDS, json={"customer_id": alice.subject}, headers={**alice.headers, **KEY}
    )

    expect_problem(response, 403, "forbidden")
    assert await db.count("history_records") == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"customer_id": ""},
        {"customer_id": "x" * 129},
        {"customer_id": "a\nb"},
        {"customer_id": 7},
        {"customer_id": "c-1", "extra": True},
    ],
    ids=["missing", "empty", "too-long", "two-lines", "not-text", "unknown-field"],
)
async def test_a_bad_body_is_a_422(client, ada, expect_problem, db, body):
    response = await client.post(RECORDS, json=body, headers={**ada.headers, **KEY})

    expect_problem(response, 422, "invalid-input")
    assert await db.count("history_records") == 0


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "101"}, {"cursor": "nope"}])
async def test_a_bad_query_is_a_422(client, alice, expect_problem, params):
    response = await client.get(RECORDS, params=params, headers=alice.headers)

    expect_problem(response, 422)


async def test_a_bad_record_id_is_a_422(client, alice, expect_problem):
    response = await client.get(f"{RECORDS}/not-a-uuid", headers=alice.headers)

    expect_problem(response, 422, "invalid-input")
