"""Making a record under an Idempotency-Key (ADR 0019): one effect per key, whatever the retries."""

from __future__ import annotations

from bazaar_common.idempotency.purge import purge_expired_keys

RECORDS = "/history"


def with_key(caller, key: str) -> dict[str, str]:
    return {**caller.headers, "Idempotency-Key": key}


async def test_a_retried_create_replays_the_201_and_makes_one_record(client, ada, alice, db):
    headers = with_key(ada, "create-1")
    body = {"customer_id": alice.subject}

    first = await client.post(RECORDS, json=body, headers=headers)
    again = await client.post(RECORDS, json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.count("history_records") == 1
    assert await db.outbox_types() == ["HistoryCreated"]


async def test_the_key_with_another_body_is_refused_and_changes_nothing(
    client, ada, alice, bob, expect_problem, db
):
    headers = with_key(ada, "create-1")
    first = await client.post(RECORDS, json={"customer_id": alice.subject}, headers=headers)
    assert first.status_code == 201, first.text

    other = await client.post(RECORDS, json={"customer_id": bob.subject}, headers=headers)

    expect_problem(other, 422, "idempotency-key-reused")
    (row,) = await db.rows("SELECT customer_id FROM history_records")
    assert row["customer_id"] == alice.subject
    assert await db.count("outbox") == 1


async def test_a_create_without_a_valid_key_is_refused_and_changes_nothing(
    client, ada, alice, expect_problem, db
):
    body = {"customer_id": alice.subject}

    missing = await client.post(RECORDS, json=body, headers=ada.headers)
    invalid = await client.post(RECORDS, json=body, headers=with_key(ada, "tab\tkey"))

    expect_problem(missing, 400, "idempotency-key-missing")
    expect_problem(invalid, 400, "idempotency-key-invalid")
    assert await db.count("history_records") == 0
    assert await db.count("idempotency_keys") == 0
    assert await db.count("outbox") == 0


async def test_expired_keys_are_purged_and_their_records_kept(client, ada, alice, new_uow, db):
    made = await client.post(
        RECORDS, json={"customer_id": alice.subject}, headers=with_key(ada, "old")
    )
    assert made.status_code == 201, made.text
    await db.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'")

    assert await purge_expired_keys(new_uow) == 1

    assert await db.count("idempotency_keys") == 0
    assert await db.count("history_records") == 1
