"""Many reservations at once on a real Postgres: no unit is lost or sold twice.

Each call gets its own unit of work, so its own connection and transaction;
the engine's pool (10 connections) makes the rest queue (``race_uow``).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from uuid import uuid4

import pytest

from bazaar_inventory.domain.errors import (
    InsufficientStock,
    ReservationConflict,
    ReservationInProgress,
)
from bazaar_inventory.domain.model import Reservation, ReservationLine, ReservationStatus
from bazaar_inventory.service_layer import reservations

UNITS = 50
CALLS = 200


def split(results):
    succeeded = [result for result in results if isinstance(result, Reservation)]
    failed = [result for result in results if not isinstance(result, Reservation)]
    return succeeded, failed


async def test_concurrent_reserves_never_oversell(race_uow, add_product, stock_of, db):
    await add_product("HOT", units=UNITS)
    rng = random.Random(20300101)
    wanted = {uuid4(): rng.randint(1, 3) for _ in range(CALLS)}

    results = await asyncio.gather(
        *(
            reservations.reserve(race_uow(), order_id, [ReservationLine("HOT", quantity)])
            for order_id, quantity in wanted.items()
        ),
        return_exceptions=True,
    )

    succeeded, failed = split(results)
    assert all(isinstance(error, InsufficientStock) for error in failed), failed
    for error in failed:
        (shortage,) = error.extensions["shortages"]
        assert shortage["sku"] == "HOT"
        assert shortage["available"] < shortage["requested"]
    assert succeeded, "no reservation went through"
    assert failed, "demand exceeds the stock, so some must have been refused"
    for reservation in succeeded:
        assert reservation.lines == (ReservationLine("HOT", wanted[reservation.order_id]),)

    held = sum(wanted[reservation.order_id] for reservation in succeeded)
    stock = await stock_of("HOT")
    assert stock.reserved == held
    assert stock.available == UNITS - held
    assert stock.available >= 0
    assert stock.available + stock.reserved == UNITS
    assert stock.sold == 0

    assert await db.stock_row("HOT") == {
        "available": UNITS - held,
        "reserved": held,
        "sold": 0,
        "received": UNITS,
    }
    assert await db.reserved_in_lines("HOT") == held
    assert await db.count("reservations") == len(succeeded)
    stored = await db.scalar("SELECT array_agg(order_id) FROM reservations")
    assert set(stored) == {reservation.order_id for reservation in succeeded}


async def test_concurrent_reserves_across_skus_conserve_every_sku(
    race_uow, add_product, stock_of, db
):
    """Orders over overlapping skus in any order: sku-ordered locks, no deadlock."""
    skus = ["P1", "P2", "P3", "P4"]
    for sku in skus:
        await add_product(sku, units=20)
    rng = random.Random(7)
    wanted = {
        uuid4(): {sku: rng.randint(1, 3) for sku in rng.sample(skus, rng.randint(1, 4))}
        for _ in range(120)
    }

    results = await asyncio.gather(
        *(
            reservations.reserve(
                race_uow(),
                order_id,
                [ReservationLine(sku, quantity) for sku, quantity in reversed(lines.items())],
            )
            for order_id, lines in wanted.items()
        ),
        return_exceptions=True,
    )

    succeeded, failed = split(results)
    assert all(isinstance(error, InsufficientStock) for error in failed), failed
    held: Counter[str] = Counter()
    for reservation in succeeded:
        held.update(wanted[reservation.order_id])
    for sku in skus:
        stock = await stock_of(sku)
        assert (stock.available, stock.reserved, stock.sold) == (20 - held[sku], held[sku], 0)
        assert await db.reserved_in_lines(sku) == held[sku]


@pytest.mark.parametrize("units", [UNITS, 3], ids=["plenty", "enough-for-one"])
async def test_concurrent_reserves_of_one_order_take_effect_once(
    race_uow, add_product, stock_of, db, units
):
    """Duplicates of one order get its reservation or a retryable conflict.

    Never "insufficient stock", even when the order itself took the last
    units: a saga told so would give up on an order that holds its stock.
    """
    await add_product("HOT", units=units)
    order_id = uuid4()
    order = [ReservationLine("HOT", 3)]

    results = await asyncio.gather(
        *(reservations.reserve(race_uow(), order_id, order) for _ in range(20)),
        return_exceptions=True,
    )

    succeeded, failed = split(results)
    assert succeeded
    assert all(isinstance(error, ReservationInProgress) for error in failed), failed
    assert {(r.order_id, r.lines, r.status, r.created_at) for r in succeeded} == {
        (order_id, tuple(order), ReservationStatus.RESERVED, succeeded[0].created_at)
    }
    stock = await stock_of("HOT")
    assert (stock.available, stock.reserved) == (units - 3, 3)
    assert await db.count("reservations") == 1
    assert await db.reserved_in_lines("HOT") == 3


async def test_concurrent_release_and_commit_one_wins(race_uow, add_product, stock_of, db):
    await add_product("HOT", units=UNITS)
    orders = [uuid4() for _ in range(15)]
    for order_id in orders:
        await reservations.reserve(race_uow(), order_id, [ReservationLine("HOT", 2)])

    async def settle(order_id):
        return await asyncio.gather(
            reservations.release(race_uow(), order_id),
            reservations.commit(race_uow(), order_id),
            return_exceptions=True,
        )

    outcomes = await asyncio.gather(*(settle(order_id) for order_id in orders))

    committed = 0
    for order_id, (released, sold) in zip(orders, outcomes, strict=True):
        winners = [r for r in (released, sold) if isinstance(r, Reservation)]
        losers = [r for r in (released, sold) if not isinstance(r, Reservation)]
        assert len(winners) == 1, (released, sold)
        assert len(losers) == 1
        assert isinstance(losers[0], ReservationConflict), losers
        status = await db.scalar(
            "SELECT status FROM reservations WHERE order_id = :id", id=order_id
        )
        assert status == winners[0].status.value
        committed += winners[0].status is ReservationStatus.COMMITTED

    stock = await stock_of("HOT")
    assert (stock.available, stock.reserved, stock.sold) == (
        UNITS - 2 * committed,
        0,
        2 * committed,
    )
    assert await db.reserved_in_lines("HOT", "committed") == stock.sold
