"""POST /orders over HTTP, prices from a real loopback server: the idempotency matrix."""

from __future__ import annotations

import asyncio
import json

from bazaar_common.testing.gather import settle, successes
from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import StockReserved


async def test_an_order_is_placed_pending_at_the_price_of_the_catalog(api, alice, subject_of, db):
    response = await api.place(alice, api.body(MUG_1=2, TEA_1=1), key="first")

    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"] == f"/orders/{order['id']}"
    assert "idempotent-replayed" not in response.headers
    assert set(order) == {
        "id",
        "customer_id",
        "status",
        "step",
        "cancel_reason",
        "lines",
        "total_minor",
        "currency",
        "created_at",
        "updated_at",
    }
    assert order["customer_id"] == subject_of("alice")
    assert (order["status"], order["step"], order["cancel_reason"]) == (
        "PENDING",
        "reserving-stock",
        None,
    )
    assert order["lines"] == [
        {"sku": "MUG-1", "quantity": 2, "unit_price_minor": 1_250},
        {"sku": "TEA-1", "quantity": 1, "unit_price_minor": 400},
    ]
    assert (order["total_minor"], order["currency"]) == (2_900, "EUR")
    assert "tok_visa" not in response.text
    assert await db.outbox_types(order["id"]) == ["OrderPlaced", "ReserveStock"]
    fetched = await api.get(alice, order["id"])
    assert fetched.json() == order


async def test_the_same_key_and_body_replay_the_first_response(api, alice, price_server, db):
    first = await api.place(alice, key="k1")
    lookups = sum(price_server.requests.values())
    again = await api.place(alice, key="k1")

    assert again.status_code == first.status_code == 201
    assert again.content == first.content  # byte for byte
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert sum(price_server.requests.values()) == lookups  # replays cost no lookup
    assert await db.count("orders") == 1
    assert await db.count("outbox") == 2


async def test_the_same_request_written_differently_is_the_same_request(api, client, alice, db):
    first = await api.place(alice, {"lines": [{"sku": "MUG-1", "quantity": 2}]}, key="k1")
    spelled_out = json.dumps(
        {"card_token": "tok_visa", "lines": [{"quantity": 2, "sku": "MUG-1"}]}, indent=4
    )
    again = await client.post(
        "/orders",
        content=spelled_out,
        headers={**alice, "Idempotency-Key": "k1", "content-type": "application/json"},
    )
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert await db.count("orders") == 1


async def test_the_same_key_with_another_body_is_refused(api, alice, db, expect_problem):
    first = await api.place(alice, api.body(MUG_1=2), key="k1")
    assert first.status_code == 201
    for other in (api.body(MUG_1=3), {**api.body(MUG_1=2), "card_token": "tok_amex"}):
        refused = await api.place(alice, other, key="k1")
        expect_problem(refused, 422, "idempotency-key-reused")
    assert await db.count("orders") == 1
    replay = await api.place(alice, api.body(MUG_1=2), key="k1")
    assert replay.json()["id"] == first.json()["id"]


async def test_two_requests_at_once_with_one_key_make_one_order(
    api, alice, price_server, db, expect_problem
):
    price_server.delay_seconds = 0.3
    results = successes(await settle([api.place(alice, key="racing") for _ in range(2)]))

    statuses = sorted(result.status_code for result in results)
    assert statuses == [201, 409]
    (busy,) = [result for result in results if result.status_code == 409]
    expect_problem(busy, 409, "idempotency-key-in-use")
    assert busy.headers["retry-after"] == "1"
    assert await db.count("orders") == 1

    retried = await api.place(alice, key="racing")  # as the client does after Retry-After
    (created,) = [result for result in results if result.status_code == 201]
    assert retried.status_code == 201
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.content == created.content


async def test_another_customers_identical_key_is_another_key(api, alice, bob, subject_of, db):
    alices = await api.place(alice, key="shared-key")
    bobs = await api.place(bob, key="shared-key")

    assert bobs.status_code == 201
    assert "idempotent-replayed" not in bobs.headers
    assert bobs.json()["id"] != alices.json()["id"]
    assert bobs.json()["customer_id"] == subject_of("bob")
    assert (await api.place(alice, key="shared-key")).json()["id"] == alices.json()["id"]
    assert (await api.place(bob, key="shared-key")).json()["id"] == bobs.json()["id"]
    assert await db.count("orders") == 2


async def test_an_expired_key_places_a_new_order(api, alice, db):
    first = await api.place(alice, key="k1")
    await db.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'")
    second = await api.place(alice, key="k1")
    assert second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"]
    assert await db.count("orders") == 2
    assert await db.count("idempotency_keys") == 1


async def test_inventory_down_is_a_retryable_503_that_keeps_no_key(
    api, alice, price_server, db, expect_problem
):
    price_server.fail("MUG-1", 500)
    down = await api.place(alice, key="k1")
    expect_problem(down, 503, "inventory-unavailable")
    assert int(down.headers["retry-after"]) > 0
    assert await db.count("idempotency_keys") == 0
    assert await db.count("orders") == 0

    price_server.failures.clear()
    retried = await api.place(alice, key="k1")
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers


async def test_inventory_too_slow_is_a_503_within_the_timeouts(
    api, alice, price_server, expect_problem
):
    price_server.delay_seconds = 5.0
    started = asyncio.get_running_loop().time()
    expect_problem(await api.place(alice), 503, "inventory-unavailable")
    # Two attempts (INVENTORY_RETRIES=1) of at most 1.5 s each.
    assert asyncio.get_running_loop().time() - started < 4.0


async def test_unknown_products_are_a_422_naming_them_and_keep_no_key(
    api, alice, db, expect_problem
):
    refused = await api.place(alice, api.body(MUG_1=1, GONE_1=1, GONE_2=1), key="k1")
    problem = expect_problem(refused, 422, "unknown-products")
    assert problem["skus"] == ["GONE-1", "GONE-2"]
    assert await db.count("idempotency_keys") == 0
    assert await db.count("orders") == 0


async def test_products_in_two_currencies_are_a_422(api, alice, db, expect_problem):
    refused = await api.place(alice, api.body(MUG_1=1, USD_1=1))
    expect_problem(refused, 422, "mixed-currencies")
    assert await db.count("orders") == 0


async def test_a_sql_like_key_is_just_a_key(api, alice, db):
    key = "'; DROP TABLE orders; --"
    first = await api.place(alice, key=key)
    assert first.status_code == 201
    again = await api.place(alice, key=key)
    assert again.headers["idempotent-replayed"] == "true"
    assert await db.scalar("SELECT key FROM idempotency_keys") == key
    assert await db.count("orders") == 1


async def test_a_card_token_is_passed_to_the_capture_and_never_shown(api, alice, db, deliver):
    response = await api.place(alice, {**api.body(MUG_1=1), "card_token": "tok_mastercard"})
    order = response.json()
    assert "tok_mastercard" not in response.text
    await deliver(StockReserved(order_id=order["id"], lines=(StockLine(sku="MUG-1", quantity=1),)))
    capture = (await db.outbox(order["id"]))[-1]
    assert capture["data"]["card_token"] == "tok_mastercard"
    assert "tok_mastercard" not in (await api.get(alice, order["id"])).text
