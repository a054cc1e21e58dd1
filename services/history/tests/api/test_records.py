"""Admins make history records; each customer reads their own, newest first."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from bazaar_common.testing.openapi import openapi_document, response_validator
from bazaar_history.entrypoints.schemas import HistoryOut

RECORDS = "/history"


async def create(client, caller, customer_id: str) -> dict:
    headers = {**caller.headers, "Idempotency-Key": str(uuid4())}
    response = await client.post(RECORDS, json={"customer_id": customer_id}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def get_page(client, caller, **params) -> dict:
    response = await client.get(RECORDS, params=params, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_admin_makes_a_record_that_reads_back_and_is_published(client, ada, alice, db):
    made = await create(client, ada, alice.subject)

    response = await client.get(f"{RECORDS}/{made['id']}", headers=alice.headers)

    assert response.status_code == 200, response.text
    assert response.json() == made
    assert made["customer_id"] == alice.subject
    assert made["source_event_id"] is None
    assert await db.outbox_types() == ["HistoryCreated"]


async def test_a_customer_lists_only_their_own_newest_first(client, ada, alice, bob):
    first = await create(client, ada, alice.subject)
    await create(client, ada, bob.subject)
    second = await create(client, ada, alice.subject)

    page = await get_page(client, alice)

    assert [item["id"] for item in page["items"]] == [second["id"], first["id"]]
    assert page["next_cursor"] is None


async def test_an_admin_lists_everyone_s(client, ada, alice, bob):
    made = {(await create(client, ada, caller.subject))["id"] for caller in (alice, bob)}

    assert {item["id"] for item in (await get_page(client, ada))["items"]} == made


@pytest.mark.parametrize("limit", [1, 2, 5])
async def test_pages_walk_every_record_once(client, ada, alice, limit):
    made = [(await create(client, ada, alice.subject))["id"] for _ in range(5)]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = await get_page(client, alice, limit=limit, **({"cursor": cursor} if cursor else {}))
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    whole = await get_page(client, alice, limit=100)
    assert seen == [item["id"] for item in whole["items"]]
    assert sorted(seen) == sorted(made)


async def test_another_customer_s_record_is_not_found_like_a_missing_one(
    client, ada, alice, bob, expect_problem
):
    theirs = await create(client, ada, alice.subject)

    asked = await client.get(f"{RECORDS}/{theirs['id']}", headers=bob.headers)
    absent = await client.get(f"{RECORDS}/{UUID(int=7)}", headers=bob.headers)

    expect_problem(asked, 404, "history-not-found")
    expect_problem(absent, 404, "history-not-found")
    assert alice.subject not in asked.text


async def test_a_record_read_from_its_row_is_what_its_model_renders(app, client, ada, alice):
    """The read renders the row itself; the body must still be what the document declares."""
    validate = response_validator(openapi_document(app), "/history/{record_id}", "get")
    made = [await create(client, ada, alice.subject) for _ in range(3)]
    listed = {item["id"]: item for item in (await get_page(client, alice))["items"]}

    for record in made:
        response = await client.get(f"{RECORDS}/{record['id']}", headers=alice.headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        validate.validate(response.json())
        # As the list (still rendered by the model) shows it, and byte for byte the model's JSON.
        assert response.json() == listed[record["id"]]
        model = HistoryOut.model_validate_json(response.content)
        assert response.content == model.model_dump_json().encode()
