"""Placing under an idempotency key, at the use case: claims, releases, takeovers, leases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from bazaar_common.idempotency.errors import IdempotencyKeyInUse
from bazaar_orders.domain.errors import (
    InventoryUnavailable,
    MixedCurrencies,
    UnknownProducts,
)
from bazaar_orders.domain.model import Price


async def keys(db):
    return await db.rows("SELECT customer_id, key, state, order_id FROM idempotency_keys")


async def test_a_placed_order_is_stored_with_its_events_and_the_keys_response(place, db):
    placed = await place()
    assert not placed.replayed
    assert placed.response.status_code == 201
    (key,) = await keys(db)
    assert (key["state"], key["order_id"]) == ("completed", placed.response.order_id)
    stored = await db.scalar("SELECT response_body FROM idempotency_keys")
    assert stored == placed.response.body
    assert await db.outbox_types(placed.response.order_id) == ["OrderPlaced", "ReserveStock"]
    assert await db.count("order_lines") == 1
    assert await db.count("order_transitions") == 1


async def test_a_replay_costs_no_price_lookup(place, make_command, fake_prices, db):
    command = make_command(key="k")
    first = await place(command)
    again = await place(command)
    assert again.replayed
    assert again.response == first.response
    assert fake_prices.lookups == 1
    assert await db.count("orders") == 1


@pytest.mark.parametrize(
    "error",
    [InventoryUnavailable(), UnknownProducts(["MUG-1"]), MixedCurrencies(["EUR", "USD"])],
    ids=lambda e: e.code,
)
async def test_a_failed_lookup_releases_the_key_and_stores_nothing(
    place, make_command, fake_prices, db, error
):
    fake_prices.error = error
    command = make_command(key="k")
    with pytest.raises(type(error)):
        await place(command)
    assert await keys(db) == []
    assert await db.count("orders") == 0
    assert await db.count("outbox") == 0

    fake_prices.error = None
    assert not (await place(command)).replayed  # the retry goes through


async def test_a_lapsed_lease_of_a_crashed_request_is_taken_over(place, make_command, db):
    await db.execute(
        "INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, lease_token, "
        "lease_expires_at, created_at, expires_at) VALUES ('alice', 'k', 'other', "
        "'in-progress', gen_random_uuid(), now() - interval '1 second', now(), "
        "now() + interval '1 day')"
    )
    placed = await place(make_command(key="k"))
    assert not placed.replayed
    (key,) = await keys(db)
    assert key["state"] == "completed"


async def test_a_live_lease_makes_the_key_in_use(place, make_command, db):
    await db.execute(
        "INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, lease_token, "
        "lease_expires_at, created_at, expires_at) VALUES ('alice', 'k', 'f', "
        "'in-progress', gen_random_uuid(), now() + interval '30 seconds', now(), "
        "now() + interval '1 day')"
    )
    with pytest.raises(IdempotencyKeyInUse):
        await place(make_command(key="k"))
    (key,) = await keys(db)
    assert key["state"] == "in-progress"  # the other request's claim is left alone


async def test_a_request_whose_lease_was_taken_over_meanwhile_stores_nothing(
    place, make_command, fake_prices, db
):
    async def another_request_takes_over() -> None:
        await db.execute("UPDATE idempotency_keys SET lease_token = :token", token=uuid4())

    fake_prices.during_lookup = another_request_takes_over
    with pytest.raises(IdempotencyKeyInUse):
        await place(make_command(key="k"))
    assert await db.count("orders") == 0
    (key,) = await keys(db)
    assert key["state"] == "in-progress"  # the new owner's claim stays


async def test_keys_are_per_customer(place, make_command, db):
    alices = await place(make_command(customer_id="alice", key="same"))
    bobs = await place(make_command(customer_id="bob", key="same"))
    assert alices.response.order_id != bobs.response.order_id
    assert not bobs.replayed
    assert await db.count("orders") == 2


async def test_an_expired_key_places_a_new_order(place, make_command, db):
    t0 = datetime.now(UTC)
    command = make_command(key="k")
    first = await place(command, clock=lambda: t0)
    later = await place(command, clock=lambda: t0 + timedelta(hours=24))
    assert not later.replayed
    assert later.response.order_id != first.response.order_id
    (key,) = await keys(db)
    assert key["order_id"] == later.response.order_id


async def test_prices_come_from_the_catalog_at_placement(place, make_command, fake_prices, new_uow):
    fake_prices.prices["MUG-1"] = Price(999, "EUR")
    placed = await place(make_command(MUG_1=3))
    async with new_uow() as uow:
        order = await uow.orders.get(placed.response.order_id)
    assert [(line.unit_price_minor, line.quantity) for line in order.lines] == [(999, 3)]
    assert order.total_minor == 2_997
