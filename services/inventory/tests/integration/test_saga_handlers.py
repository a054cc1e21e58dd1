"""The saga's commands, handled as the consumer handles them, on a real Postgres.

Each delivery runs the registered handler in one unit of work with its inbox
row (the ``deliver`` fixture); the checks read what really got committed.
"""

from __future__ import annotations

import asyncio
import logging
import random
from uuid import UUID, uuid4

import pytest

from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.testing.waiting import wait_until
from bazaar_contracts import fields
from bazaar_contracts.fields import StockLine
from bazaar_contracts.orders import CommitStock, ReleaseStock, ReserveStock
from bazaar_inventory.domain.errors import (
    ReservationConflict,
    ReservationInProgress,
    ReservationNotFound,
)
from bazaar_inventory.domain.model import (
    MAX_LINE_QUANTITY,
    MAX_RESERVATION_LINES,
    ReservationLine,
)
from bazaar_inventory.service_layer import reservations


def reserve_stock(order_id, **quantities: int) -> ReserveStock:
    lines = tuple(StockLine(sku=sku, quantity=n) for sku, n in quantities.items())
    return ReserveStock(order_id=order_id, lines=lines)


async def counters(stock_of, sku):
    stock = await stock_of(sku)
    assert stock.available + stock.reserved + stock.sold == stock.received
    return (stock.available, stock.reserved, stock.sold)


async def replies(db):
    """(type, data) of every event written, oldest first."""
    return [(row["type"], row["envelope"]["data"]) for row in await db.outbox_rows()]


@pytest.fixture
async def stocked(add_product):
    await add_product("A", units=10)
    await add_product("B", units=5)


@pytest.mark.usefixtures("stocked")
async def test_reserve_stock_holds_the_units_and_replies_stock_reserved(deliver, stock_of, db):
    order_id = uuid4()
    command = await deliver(reserve_stock(order_id, B=2, A=3))

    assert await counters(stock_of, "A") == (7, 3, 0)
    assert await counters(stock_of, "B") == (3, 2, 0)
    (row,) = await db.outbox_rows()
    assert (row["type"], row["subject"]) == ("StockReserved", str(order_id))
    assert row["envelope"]["data"] == {
        "order_id": str(order_id),
        "lines": [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 2}],
    }
    assert row["envelope"]["causation_id"] == str(command.id)
    assert await db.count("inbox") == 1


@pytest.mark.usefixtures("stocked")
async def test_insufficient_stock_replies_with_the_shortages_and_holds_nothing(
    deliver, stock_of, db
):
    order_id = uuid4()
    command = await deliver(reserve_stock(order_id, A=10, B=6))

    # The use case raised inside its own `async with uow`; leaving that inner
    # block must not have rolled back the consumer's transaction: the reply
    # and the inbox row are both committed.
    assert await replies(db) == [
        (
            "StockRejected",
            {
                "order_id": str(order_id),
                "reason": "insufficient-stock",
                "shortages": [{"sku": "B", "requested": 6, "available": 5}],
            },
        )
    ]
    inbox = await db.scalar("SELECT event_id FROM inbox WHERE consumer = 'inventory'")
    assert inbox == command.id
    assert await counters(stock_of, "A") == (10, 0, 0)
    assert await counters(stock_of, "B") == (5, 0, 0)
    assert await db.count("reservations") == 0


@pytest.mark.usefixtures("stocked")
async def test_an_unknown_sku_is_rejected_as_unknown_products(deliver, stock_of, db):
    order_id = uuid4()
    await deliver(reserve_stock(order_id, A=1, NOPE=1))

    assert await replies(db) == [
        (
            "StockRejected",
            {"order_id": str(order_id), "reason": "unknown-products", "shortages": []},
        )
    ]
    assert await counters(stock_of, "A") == (10, 0, 0)
    assert await db.count("reservations") == 0
    assert await db.count("inbox") == 1


@pytest.mark.usefixtures("stocked")
async def test_a_different_reservation_of_the_order_is_rejected_as_a_conflict(
    deliver, stock_of, db
):
    order_id = uuid4()
    await deliver(reserve_stock(order_id, A=3))
    await deliver(reserve_stock(order_id, A=4))

    assert [kind for kind, _ in await replies(db)] == ["StockReserved", "StockRejected"]
    assert (await replies(db))[1][1] == {
        "order_id": str(order_id),
        "reason": "reservation-conflict",
        "shortages": [],
    }
    assert await counters(stock_of, "A") == (7, 3, 0)  # the first reservation stands


@pytest.mark.usefixtures("stocked")
async def test_a_duplicate_delivery_has_one_effect(deliver, stock_of, db):
    command = await deliver(reserve_stock(uuid4(), A=3))
    await deliver(command)

    assert await counters(stock_of, "A") == (7, 3, 0)
    assert [kind for kind, _ in await replies(db)] == ["StockReserved"]
    assert await db.count("inbox") == 1


@pytest.mark.usefixtures("stocked")
async def test_a_replayed_command_publishes_nothing_new(deliver, stock_of, db):
    order_id = uuid4()
    await deliver(reserve_stock(order_id, A=3))
    await deliver(reserve_stock(order_id, A=3))  # another event, same order

    assert await counters(stock_of, "A") == (7, 3, 0)
    assert [kind for kind, _ in await replies(db)] == ["StockReserved"]
    assert await db.count("inbox") == 2


async def test_release_of_a_missing_reservation_changes_nothing(deliver, db):
    await deliver(ReleaseStock(order_id=uuid4()))

    assert await db.outbox_rows() == []
    assert await db.count("reservations") == 0
    assert await db.count("inbox") == 1  # handled: not retried


@pytest.mark.usefixtures("stocked")
async def test_a_late_reserve_after_its_release_is_released_by_the_next_one(deliver, stock_of, db):
    """ReleaseStock overtook ReserveStock; orders answers the late reply with another."""
    order_id = uuid4()
    await deliver(ReleaseStock(order_id=order_id))
    await deliver(reserve_stock(order_id, A=3))
    assert await counters(stock_of, "A") == (7, 3, 0)

    compensation = await deliver(ReleaseStock(order_id=order_id))
    await deliver(compensation)
    await deliver(ReleaseStock(order_id=order_id))

    assert await counters(stock_of, "A") == (10, 0, 0)
    assert await replies(db) == [
        ("StockReserved", {"order_id": str(order_id), "lines": [{"sku": "A", "quantity": 3}]}),
        ("StockReleased", {"order_id": str(order_id), "lines": [{"sku": "A", "quantity": 3}]}),
    ]
    assert await db.scalar("SELECT status FROM reservations") == "released"


@pytest.mark.usefixtures("stocked")
async def test_commit_stock_sells_the_units_once(deliver, stock_of, db):
    order_id = uuid4()
    await deliver(reserve_stock(order_id, A=3, B=1))
    await deliver(CommitStock(order_id=order_id))
    await deliver(CommitStock(order_id=order_id))

    assert await counters(stock_of, "A") == (7, 0, 3)
    assert await counters(stock_of, "B") == (4, 0, 1)
    assert [kind for kind, _ in await replies(db)] == ["StockReserved", "StockCommitted"]
    assert (await replies(db))[1][1] == {"order_id": str(order_id)}


@pytest.mark.usefixtures("stocked")
@pytest.mark.parametrize("settled_before", [None, "released"])
async def test_commit_of_a_missing_or_released_reservation_is_raised_for_the_dlq(
    deliver, new_uow, stock_of, db, caplog, settled_before
):
    order_id = uuid4()
    expected: type[Exception] = ReservationNotFound
    if settled_before == "released":
        await reservations.reserve(new_uow(), order_id, [ReservationLine("A", 2)])
        await reservations.release(new_uow(), order_id)
        expected = ReservationConflict
    written = await db.outbox_rows()

    with (
        caplog.at_level(logging.ERROR, logger="bazaar.inventory.saga"),
        pytest.raises(expected),
    ):
        await deliver(CommitStock(order_id=order_id))

    assert await db.outbox_rows() == written
    assert await db.count("inbox") == 0  # rolled back: the message comes back
    assert await counters(stock_of, "A") == (10, 0, 0)
    (record,) = caplog.records
    assert "CommitStock refused" in record.getMessage()
    assert record.order_id == str(order_id)


@pytest.mark.usefixtures("stocked")
async def test_release_of_a_committed_reservation_is_raised(deliver, stock_of, db):
    order_id = uuid4()
    await deliver(reserve_stock(order_id, A=2))
    await deliver(CommitStock(order_id=order_id))
    with pytest.raises(ReservationConflict):
        await deliver(ReleaseStock(order_id=order_id))
    assert await counters(stock_of, "A") == (8, 0, 2)
    assert await db.count("inbox") == 2


def test_every_command_the_contract_admits_is_within_inventory_bounds():
    """Else a valid ReserveStock would fail in the domain on every receive and end in the DLQ."""
    assert fields.MAX_EVENT_LINE_QUANTITY <= MAX_LINE_QUANTITY
    assert fields.MAX_EVENT_LINES <= MAX_RESERVATION_LINES


@pytest.mark.usefixtures("stocked")
async def test_a_reservation_made_concurrently_is_retried_then_answered(
    deliver, new_uow, stock_of, db
):
    """The other request's row is not committed yet: raise, so the command comes back."""
    order_id = uuid4()
    command = envelope_of(reserve_stock(order_id, B=1), source="bazaar.orders")
    holder = new_uow()
    async with holder:
        await reservations.reserve(holder, order_id, [ReservationLine("A", 2)])
        racing = asyncio.create_task(deliver(command))
        await wait_until(lambda: _waiting_on_a_lock(db), within=10)
        await holder.commit()
    with pytest.raises(ReservationInProgress):
        await racing
    assert await db.count("inbox") == 0
    assert [kind for kind, _ in await replies(db)] == ["StockReserved"]

    await deliver(command)  # the redelivery finds the other reservation
    assert [kind for kind, data in await replies(db)] == ["StockReserved", "StockRejected"]
    assert (await replies(db))[1][1]["reason"] == "reservation-conflict"
    assert await counters(stock_of, "A") == (8, 2, 0)
    assert await counters(stock_of, "B") == (5, 0, 0)


async def _waiting_on_a_lock(db) -> bool:
    waiting = await db.scalar(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return bool(waiting)


ORDERS = 80
UNITS = 30


async def test_concurrent_reserve_commands_for_the_last_units_never_oversell(
    deliver, race_uow, add_product, stock_of, db
):
    await add_product("HOT", units=UNITS)
    rng = random.Random(20261201)
    wanted = {uuid4(): rng.randint(1, 3) for _ in range(ORDERS)}

    results = await asyncio.gather(
        *(
            deliver(reserve_stock(order_id, HOT=quantity), uow_factory=race_uow)
            for order_id, quantity in wanted.items()
        ),
        return_exceptions=True,
    )

    assert not [result for result in results if isinstance(result, BaseException)]
    rows = await db.outbox_rows()
    assert sorted(row["subject"] for row in rows) == sorted(map(str, wanted))  # one reply each
    reserved = [row for row in rows if row["type"] == "StockReserved"]
    rejected = [row for row in rows if row["type"] == "StockRejected"]
    assert reserved
    assert rejected, "demand exceeds the stock, so some must have been refused"
    for row in rejected:
        data = row["envelope"]["data"]
        assert data["reason"] == "insufficient-stock"
        (shortage,) = data["shortages"]
        assert shortage["available"] < shortage["requested"] == wanted[UUID(row["subject"])]
    held = sum(wanted[UUID(row["subject"])] for row in reserved)
    assert await counters(stock_of, "HOT") == (UNITS - held, held, 0)
    assert await db.reserved_in_lines("HOT") == held
    assert await db.count("reservations") == len(reserved)
    assert await db.count("inbox") == ORDERS
