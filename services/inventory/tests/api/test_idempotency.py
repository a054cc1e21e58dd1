"""Every admin write under an Idempotency-Key, on real Postgres: one effect per key."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from bazaar_common.idempotency.purge import purge_expired_keys
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

PRODUCTS = "/inventory/products"
RESERVATIONS = "/inventory/reservations"


def with_key(headers, key):
    return {**headers, "Idempotency-Key": key}


async def test_a_retried_restock_replays_and_adds_the_units_once(api, db):
    await api.create_product("MUG-1")
    headers = with_key(api.admin, "restock-1")
    first = await api.client.post(
        f"{PRODUCTS}/MUG-1/restock", json={"quantity": 5}, headers=headers
    )
    again = await api.client.post(
        f"{PRODUCTS}/MUG-1/restock", json={"quantity": 5}, headers=headers
    )

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


async def test_a_new_key_restocks_again(api, db):
    await api.create_product("MUG-1")
    await api.restock("MUG-1", 5)
    await api.restock("MUG-1", 5)
    assert (await db.stock_row("MUG-1"))["received"] == 10


async def test_a_retried_create_replays_the_201_byte_for_byte(api, db):
    headers = with_key(api.admin, "create-mug")
    body = api.product_body("MUG-1")
    first = await api.client.post(PRODUCTS, json=body, headers=headers)
    again = await api.client.post(PRODUCTS, json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.count("products") == 1


async def test_the_key_with_another_request_is_refused_and_changes_nothing(api, db, expect_problem):
    await api.create_product("MUG-1")
    headers = with_key(api.admin, "restock-1")
    path = f"{PRODUCTS}/MUG-1/restock"
    assert (await api.client.post(path, json={"quantity": 5}, headers=headers)).status_code == 200

    other_quantity = await api.client.post(path, json={"quantity": 6}, headers=headers)
    expect_problem(other_quantity, 422, "idempotency-key-reused")
    await api.create_product("CUP-1")
    other_sku = await api.client.post(
        f"{PRODUCTS}/CUP-1/restock", json={"quantity": 5}, headers=headers
    )
    expect_problem(other_sku, 422, "idempotency-key-reused")
    assert (await db.stock_row("MUG-1"))["received"] == 5
    assert (await db.stock_row("CUP-1"))["received"] == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (PRODUCTS, {"sku": "NEW-1", "name": "n", "price": {"amount_minor": 1, "currency": "EUR"}}),
        (f"{PRODUCTS}/MUG-1/restock", {"quantity": 5}),
        (RESERVATIONS, {"order_id": str(uuid4()), "lines": [{"sku": "MUG-1", "quantity": 1}]}),
    ],
)
async def test_a_write_without_a_key_is_refused_and_changes_nothing(
    api, db, expect_problem, path, body
):
    await api.create_product("MUG-1", units=2)
    response = await api.client.post(path, json=body, headers=api.admin)
    expect_problem(response, 400, "idempotency-key-missing")
    invalid = await api.client.post(path, json=body, headers=with_key(api.admin, "tab\tkey"))
    expect_problem(invalid, 400, "idempotency-key-invalid")
    assert await db.count("products") == 1
    assert await db.count("reservations") == 0
    assert await db.stock_row("MUG-1") == {"available": 2, "reserved": 0, "sold": 0, "received": 2}
    assert await db.count("idempotency_keys") == 2  # the create and the restock above


async def test_a_refusal_stores_no_answer_so_the_key_can_be_retried(api, db, expect_problem):
    headers = with_key(api.admin, "restock-early")
    path = f"{PRODUCTS}/MUG-1/restock"
    expect_problem(
        await api.client.post(path, json={"quantity": 3}, headers=headers), 404, "product-not-found"
    )
    await api.create_product("MUG-1")
    assert (await api.client.post(path, json={"quantity": 3}, headers=headers)).status_code == 200
    assert (await db.stock_row("MUG-1"))["received"] == 3


async def test_concurrent_restocks_with_one_key_add_the_units_once(api, db):
    await api.create_product("MUG-1")
    headers = with_key(api.admin, "restock-race")
    path = f"{PRODUCTS}/MUG-1/restock"
    responses = await asyncio.gather(
        *(api.client.post(path, json={"quantity": 4}, headers=headers) for _ in range(8))
    )

    statuses = sorted(response.status_code for response in responses)
    assert set(statuses) <= {200, 409}
    assert 200 in statuses
    for busy in (r for r in responses if r.status_code == 409):
        assert busy.json()["type"].endswith("/idempotency-key-in-use")
        assert busy.headers["retry-after"] == "1"
    assert (await db.stock_row("MUG-1"))["received"] == 4
    settled = await api.client.post(path, json={"quantity": 4}, headers=headers)
    assert settled.headers["idempotent-replayed"] == "true"


async def test_keys_are_the_callers_own(api, token_issuer, db):
    await api.create_product("MUG-1")
    path = f"{PRODUCTS}/MUG-1/restock"
    ada = with_key(api.admin, "restock-1")
    grace = with_key({"Authorization": f"Bearer {token_issuer.admin_token('grace')}"}, "restock-1")
    assert (await api.client.post(path, json={"quantity": 2}, headers=ada)).status_code == 200
    theirs = await api.client.post(path, json={"quantity": 2}, headers=grace)
    assert "idempotent-replayed" not in theirs.headers
    assert (await db.stock_row("MUG-1"))["received"] == 4


async def test_a_retried_reservation_and_settlement_replay(api, db):
    await api.create_product("MUG-1", units=5)
    order_id = uuid4()
    body = {"order_id": str(order_id), "lines": [{"sku": "MUG-1", "quantity": 2}]}
    reserve = with_key(api.admin, "reserve")
    first = await api.client.post(RESERVATIONS, json=body, headers=reserve)
    again = await api.client.post(RESERVATIONS, json=body, headers=reserve)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content

    commit = with_key(api.admin, "commit")
    path = f"{RESERVATIONS}/{order_id}/commit"
    committed = await api.client.post(path, headers=commit)
    assert (await api.client.post(path, headers=commit)).content == committed.content
    assert await db.stock_row("MUG-1") == {"available": 3, "reserved": 0, "sold": 2, "received": 5}


async def test_expired_keys_are_purged(app, api, db):
    await api.create_product("MUG-1")
    await api.client.post(
        f"{PRODUCTS}/MUG-1/restock", json={"quantity": 1}, headers=with_key(api.admin, "old")
    )
    await db.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'")
    purged = await purge_expired_keys(lambda: InventoryUnitOfWork(app.state.engine))
    assert purged == 2
    assert await db.count("idempotency_keys") == 0
