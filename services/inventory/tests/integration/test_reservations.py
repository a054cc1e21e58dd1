"""Reservation use cases on a real Postgres, one call at a time."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    InsufficientStock,
    ReservationConflict,
    ReservationNotFound,
    UnknownProducts,
)
from bazaar_inventory.domain.model import ReservationLine, ReservationStatus
from bazaar_inventory.service_layer import catalog, reservations


def counters(stock):
    """(sku, available, reserved, sold), after checking no unit was lost."""
    assert stock.available + stock.reserved + stock.sold == stock.received
    return (stock.sku, stock.available, stock.reserved, stock.sold)


def lines(**quantities: int) -> list[ReservationLine]:
    return [ReservationLine(sku, quantity) for sku, quantity in quantities.items()]


@pytest.fixture
async def two_products(add_product):
    await add_product("A", units=10)
    await add_product("B", units=5)


@pytest.fixture
def reserve(new_uow):
    return lambda order_id, **quantities: reservations.reserve(
        new_uow(), order_id, lines(**quantities)
    )


async def stock_tuples(stock_of, *skus):
    return [counters(await stock_of(sku)) for sku in skus]


@pytest.mark.usefixtures("two_products")
async def test_reserve_holds_every_line_and_stores_it(reserve, new_uow, stock_of, db):
    order_id = uuid4()
    made = await reserve(order_id, B=2, A=3)
    assert made.status is ReservationStatus.RESERVED
    assert made.lines == (ReservationLine("A", 3), ReservationLine("B", 2))
    assert await stock_tuples(stock_of, "A", "B") == [("A", 7, 3, 0), ("B", 3, 2, 0)]

    stored = await reservations.get_reservation(new_uow(), order_id)
    assert (stored.order_id, stored.lines, stored.status) == (order_id, made.lines, made.status)
    assert await db.reserved_in_lines("A") == 3
    assert await db.reserved_in_lines("B") == 2


@pytest.mark.usefixtures("two_products")
async def test_a_replayed_reserve_returns_the_same_reservation_once(reserve, stock_of, db):
    order_id = uuid4()
    first = await reserve(order_id, A=3, B=2)
    again = await reserve(order_id, B=2, A=3)
    assert (again.order_id, again.lines, again.created_at) == (
        first.order_id,
        first.lines,
        first.created_at,
    )
    assert await stock_tuples(stock_of, "A", "B") == [("A", 7, 3, 0), ("B", 3, 2, 0)]
    assert await db.count("reservations") == 1


@pytest.mark.usefixtures("two_products")
@pytest.mark.parametrize(
    "different", [{"A": 4, "B": 2}, {"A": 3}, {"A": 3, "B": 2, "C": 1}, {"B": 2}]
)
async def test_a_replay_with_other_lines_is_a_conflict(
    reserve, stock_of, db, add_product, different
):
    await add_product("C", units=1)
    order_id = uuid4()
    await reserve(order_id, A=3, B=2)
    with pytest.raises(DifferentReservationHeld) as raised:
        await reserve(order_id, **different)
    assert raised.value.status == 409
    assert await stock_tuples(stock_of, "A", "B", "C") == [
        ("A", 7, 3, 0),
        ("B", 3, 2, 0),
        ("C", 1, 0, 0),
    ]
    assert await db.count("reservation_lines") == 2


@pytest.mark.usefixtures("two_products")
async def test_a_replay_after_release_changes_nothing(reserve, new_uow, stock_of):
    order_id = uuid4()
    await reserve(order_id, A=3)
    await reservations.release(new_uow(), order_id)
    again = await reserve(order_id, A=3)
    assert again.status is ReservationStatus.RELEASED
    assert await stock_tuples(stock_of, "A") == [("A", 10, 0, 0)]


@pytest.mark.usefixtures("two_products")
async def test_insufficient_stock_writes_nothing(reserve, stock_of, db):
    with pytest.raises(InsufficientStock) as raised:
        await reserve(uuid4(), A=10, B=6)
    assert raised.value.extensions["shortages"] == [{"sku": "B", "requested": 6, "available": 5}]
    assert await stock_tuples(stock_of, "A", "B") == [("A", 10, 0, 0), ("B", 5, 0, 0)]
    assert await db.count("reservations") == 0
    assert await db.count("reservation_lines") == 0


@pytest.mark.usefixtures("two_products")
async def test_unknown_products_write_nothing(reserve, stock_of, db):
    with pytest.raises(UnknownProducts) as raised:
        await reserve(uuid4(), A=1, NOPE=1)
    assert raised.value.extensions["skus"] == ["NOPE"]
    assert await stock_tuples(stock_of, "A") == [("A", 10, 0, 0)]
    assert await db.count("reservations") == 0


@pytest.mark.usefixtures("two_products")
async def test_a_failed_order_can_be_reserved_later(reserve, new_uow, stock_of):
    order_id = uuid4()
    with pytest.raises(InsufficientStock):
        await reserve(order_id, A=11)
    await catalog.restock(new_uow(), "A", 1)
    made = await reserve(order_id, A=11)
    assert made.status is ReservationStatus.RESERVED
    assert await stock_tuples(stock_of, "A") == [("A", 0, 11, 0)]


@pytest.mark.usefixtures("two_products")
async def test_release_gives_the_units_back_once(reserve, new_uow, stock_of, db):
    order_id = uuid4()
    await reserve(order_id, A=3, B=2)
    released = await reservations.release(new_uow(), order_id)
    assert released.status is ReservationStatus.RELEASED
    again = await reservations.release(new_uow(), order_id)
    assert again.status is ReservationStatus.RELEASED
    assert again.updated_at == released.updated_at
    assert await stock_tuples(stock_of, "A", "B") == [("A", 10, 0, 0), ("B", 5, 0, 0)]
    assert await db.scalar("SELECT status FROM reservations") == "released"

    with pytest.raises(ReservationConflict):
        await reservations.commit(new_uow(), order_id)
    assert await stock_tuples(stock_of, "A", "B") == [("A", 10, 0, 0), ("B", 5, 0, 0)]
    assert await db.scalar("SELECT status FROM reservations") == "released"


@pytest.mark.usefixtures("two_products")
async def test_commit_sells_the_units_once(reserve, new_uow, stock_of, db):
    order_id = uuid4()
    await reserve(order_id, A=3, B=2)
    committed = await reservations.commit(new_uow(), order_id)
    assert committed.status is ReservationStatus.COMMITTED
    await reservations.commit(new_uow(), order_id)
    assert await stock_tuples(stock_of, "A", "B") == [("A", 7, 0, 3), ("B", 3, 0, 2)]
    assert await db.scalar("SELECT status FROM reservations") == "committed"

    with pytest.raises(ReservationConflict):
        await reservations.release(new_uow(), order_id)
    assert await stock_tuples(stock_of, "A", "B") == [("A", 7, 0, 3), ("B", 3, 0, 2)]
    assert await db.scalar("SELECT status FROM reservations") == "committed"
    stored = await reservations.get_reservation(new_uow(), order_id)
    assert stored.status is ReservationStatus.COMMITTED


@pytest.mark.parametrize("action", [reservations.release, reservations.commit])
async def test_settling_an_unknown_order_is_not_found(new_uow, action):
    with pytest.raises(ReservationNotFound) as raised:
        await action(new_uow(), uuid4())
    assert raised.value.status == 404


async def test_an_unknown_reservation_is_not_found(new_uow):
    with pytest.raises(ReservationNotFound):
        await reservations.get_reservation(new_uow(), uuid4())
