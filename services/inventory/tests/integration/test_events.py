"""Reservation changes and their events commit together, or not at all."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_inventory.domain.errors import InsufficientStock
from bazaar_inventory.domain.model import ReservationLine
from bazaar_inventory.service_layer import reservations


@pytest.fixture
async def stocked(add_product):
    await add_product("A", units=5)


@pytest.mark.usefixtures("stocked")
async def test_each_change_writes_one_event_with_its_envelope(new_uow, db):
    order_id = uuid4()
    await reservations.reserve(new_uow(), order_id, [ReservationLine("A", 2)])
    await reservations.reserve(new_uow(), order_id, [ReservationLine("A", 2)])  # replay
    await reservations.commit(new_uow(), order_id)
    await reservations.commit(new_uow(), order_id)  # repeated: no second event

    rows = await db.outbox_rows()
    assert [(row["type"], row["subject"]) for row in rows] == [
        ("StockReserved", str(order_id)),
        ("StockCommitted", str(order_id)),
    ]
    reserved = rows[0]["envelope"]
    assert reserved["source"] == "bazaar.inventory"
    assert reserved["version"] == 1
    assert reserved["data"] == {"order_id": str(order_id), "lines": [{"sku": "A", "quantity": 2}]}


@pytest.mark.usefixtures("stocked")
async def test_release_writes_stock_released_once(new_uow, db):
    order_id = uuid4()
    await reservations.reserve(new_uow(), order_id, [ReservationLine("A", 1)])
    await reservations.release(new_uow(), order_id)
    await reservations.release(new_uow(), order_id)
    assert [row["type"] for row in await db.outbox_rows()] == ["StockReserved", "StockReleased"]


@pytest.mark.usefixtures("stocked")
async def test_a_refused_reservation_writes_no_event(new_uow, db):
    with pytest.raises(InsufficientStock):
        await reservations.reserve(new_uow(), uuid4(), [ReservationLine("A", 6)])
    assert await db.outbox_rows() == []
