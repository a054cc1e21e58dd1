"""The inventory model alone: reservations are all-or-none and never lose a unit."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from bazaar_common.errors import InvalidInput
from bazaar_inventory.domain.errors import (
    InsufficientStock,
    ReservationConflict,
    Shortage,
    StockLimitExceeded,
    UnknownProducts,
)
from bazaar_inventory.domain.model import (
    MAX_UNITS_RECEIVED,
    Money,
    Product,
    Reservation,
    ReservationLine,
    ReservationStatus,
    Stock,
)

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)
T2 = T0 + timedelta(minutes=2)


def counters(stock):
    """(sku, available, reserved, sold), after checking no unit was lost."""
    assert stock.available + stock.reserved + stock.sold == stock.received
    return (stock.sku, stock.available, stock.reserved, stock.sold)


def stocks(**available: int) -> dict[str, Stock]:
    return {sku: Stock(sku, available=units) for sku, units in available.items()}


def lines(**quantities: int) -> list[ReservationLine]:
    return [ReservationLine(sku, quantity) for sku, quantity in quantities.items()]


def snapshot(stock: dict[str, Stock]) -> dict[str, tuple[object, ...]]:
    return {sku: counters(item) for sku, item in stock.items()}


def place(stock: dict[str, Stock], **quantities: int) -> Reservation:
    return Reservation.place(uuid4(), lines(**quantities), stock, now=T0)


# --- placing -----------------------------------------------------------------


def test_place_moves_every_line_from_available_to_reserved():
    stock = stocks(A=5, B=3, C=7)
    reservation = place(stock, B=3, A=2)
    assert reservation.status is ReservationStatus.RESERVED
    assert reservation.lines == (ReservationLine("A", 2), ReservationLine("B", 3))
    assert (reservation.created_at, reservation.updated_at) == (T0, T0)
    assert counters(stock["A"]) == ("A", 3, 2, 0)
    assert counters(stock["B"]) == ("B", 0, 3, 0)
    assert counters(stock["C"]) == ("C", 7, 0, 0)


def test_lines_match_in_any_order_but_not_with_other_quantities():
    reservation = place(stocks(A=5, B=5), A=1, B=2)
    assert reservation.matches(lines(B=2, A=1))
    assert not reservation.matches(lines(A=1, B=3))
    assert not reservation.matches(lines(A=1))
    assert not reservation.matches(lines(A=1, B=2, C=1))


@pytest.mark.parametrize("short_sku", ["A", "M", "Z"])
def test_a_shortage_on_one_line_touches_no_stock(short_sku):
    stock = stocks(A=5, M=5, Z=5)
    before = snapshot(stock)
    wanted = {"A": 2, "M": 2, "Z": 2, short_sku: 6}
    with pytest.raises(InsufficientStock) as raised:
        place(stock, **wanted)
    assert raised.value.extensions["shortages"] == [
        {"sku": short_sku, "requested": 6, "available": 5}
    ]
    assert snapshot(stock) == before


def test_every_shortage_is_reported_in_sku_order():
    stock = stocks(A=1, B=0, C=10, D=2)
    before = snapshot(stock)
    with pytest.raises(InsufficientStock) as raised:
        place(stock, D=3, C=1, B=1, A=2)
    assert raised.value.extensions["shortages"] == [
        {"sku": "A", "requested": 2, "available": 1},
        {"sku": "B", "requested": 1, "available": 0},
        {"sku": "D", "requested": 3, "available": 2},
    ]
    assert raised.value.shortages == (Shortage("A", 2, 1), Shortage("B", 1, 0), Shortage("D", 3, 2))
    assert raised.value.status == 409
    assert snapshot(stock) == before


def test_exactly_the_available_units_can_be_reserved():
    stock = stocks(A=4)
    place(stock, A=4)
    assert counters(stock["A"]) == ("A", 0, 4, 0)
    with pytest.raises(InsufficientStock):
        place(stock, A=1)


def test_unknown_skus_are_all_named_and_touch_no_stock():
    stock = stocks(B=5)
    before = snapshot(stock)
    with pytest.raises(UnknownProducts) as raised:
        place(stock, A=1, B=1, NOPE=1)
    assert raised.value.extensions["skus"] == ["A", "NOPE"]
    assert raised.value.status == 422
    assert snapshot(stock) == before


def test_an_unknown_sku_wins_over_a_shortage():
    stock = stocks(B=0)
    with pytest.raises(UnknownProducts):
        place(stock, A=1, B=1)
    assert counters(stock["B"]) == ("B", 0, 0, 0)


# --- release and commit --------------------------------------------------------


def test_release_returns_the_units_once():
    stock = stocks(A=5, B=5)
    reservation = place(stock, A=2, B=1)
    reservation.release(stock, now=T1)
    assert reservation.status is ReservationStatus.RELEASED
    assert reservation.updated_at == T1
    assert counters(stock["A"]) == ("A", 5, 0, 0)
    assert counters(stock["B"]) == ("B", 5, 0, 0)

    reservation.release(stock, now=T2)
    assert reservation.updated_at == T1
    assert snapshot(stock) == {"A": ("A", 5, 0, 0), "B": ("B", 5, 0, 0)}


def test_commit_sells_the_units_once():
    stock = stocks(A=5, B=5)
    reservation = place(stock, A=2, B=1)
    reservation.commit(stock, now=T1)
    assert reservation.status is ReservationStatus.COMMITTED
    assert reservation.updated_at == T1
    assert counters(stock["A"]) == ("A", 3, 0, 2)
    assert counters(stock["B"]) == ("B", 4, 0, 1)

    reservation.commit(stock, now=T2)
    assert reservation.updated_at == T1
    assert snapshot(stock) == {"A": ("A", 3, 0, 2), "B": ("B", 4, 0, 1)}


def test_a_released_reservation_cannot_be_committed():
    stock = stocks(A=5)
    reservation = place(stock, A=2)
    reservation.release(stock, now=T1)
    before = snapshot(stock)
    with pytest.raises(ReservationConflict) as raised:
        reservation.commit(stock, now=T2)
    assert raised.value.status == 409
    assert reservation.status is ReservationStatus.RELEASED
    assert reservation.updated_at == T1
    assert snapshot(stock) == before


def test_a_committed_reservation_cannot_be_released():
    stock = stocks(A=5)
    reservation = place(stock, A=2)
    reservation.commit(stock, now=T1)
    before = snapshot(stock)
    with pytest.raises(ReservationConflict):
        reservation.release(stock, now=T2)
    assert reservation.status is ReservationStatus.COMMITTED
    assert reservation.updated_at == T1
    assert snapshot(stock) == before


def test_releasing_one_reservation_leaves_another_alone():
    stock = stocks(A=10)
    first = place(stock, A=3)
    place(stock, A=4)
    first.release(stock, now=T1)
    assert counters(stock["A"]) == ("A", 6, 4, 0)


# --- stock -------------------------------------------------------------------


def test_restock_adds_available_units():
    item = Stock("A", available=1, reserved=2, sold=3)
    item.restock(10)
    assert counters(item) == ("A", 11, 2, 3)
    assert item.received == 16


def test_restock_up_to_the_lifetime_limit_and_not_one_unit_more():
    item = Stock("A", available=MAX_UNITS_RECEIVED - 10)
    item.restock(10)
    assert item.received == MAX_UNITS_RECEIVED
    with pytest.raises(StockLimitExceeded) as raised:
        item.restock(1)
    assert raised.value.status == 422
    assert item.received == MAX_UNITS_RECEIVED


def test_reserved_and_sold_units_count_towards_the_restock_limit():
    item = Stock("A", available=0, reserved=MAX_UNITS_RECEIVED - 5, sold=5)
    with pytest.raises(StockLimitExceeded):
        item.restock(1)
    assert counters(item) == ("A", 0, MAX_UNITS_RECEIVED - 5, 5)


# --- conservation over many operations ------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_units_are_conserved_through_any_sequence(seed):
    """A seeded random walk over restock, place, release and commit.

    After every step, on every sku: nothing is negative, available + reserved
    + sold equals everything received, reserved equals what live reservations
    hold and sold equals what committed ones hold. A refused step changes
    nothing.
    """
    rng = random.Random(seed)
    skus = ["A", "B", "C"]
    stock = {sku: Stock(sku) for sku in skus}
    received = dict.fromkeys(skus, 0)
    reservations: list[Reservation] = []

    for step in range(150):
        before = snapshot(stock)
        statuses = [r.status for r in reservations]
        now = T0 + timedelta(seconds=step)
        action = rng.choice(["restock", "place", "place", "release", "commit"])
        try:
            if action == "restock":
                sku, quantity = rng.choice(skus), rng.randint(1, 5)
                stock[sku].restock(quantity)
                received[sku] += quantity
            elif action == "place":
                wanted = {sku: rng.randint(1, 4) for sku in rng.sample(skus, rng.randint(1, 3))}
                order_id = UUID(int=rng.getrandbits(128))
                reservations.append(Reservation.place(order_id, lines(**wanted), stock, now=now))
            elif reservations:
                reservation = rng.choice(reservations)
                if action == "release":
                    reservation.release(stock, now=now)
                else:
                    reservation.commit(stock, now=now)
        except (InsufficientStock, ReservationConflict):
            assert snapshot(stock) == before
            assert [r.status for r in reservations] == statuses

        for sku in skus:
            item = stock[sku]
            assert min(item.available, item.reserved, item.sold) >= 0
            assert item.available + item.reserved + item.sold == received[sku]
            for status, units in (
                (ReservationStatus.RESERVED, item.reserved),
                (ReservationStatus.COMMITTED, item.sold),
            ):
                held = sum(
                    line.quantity
                    for r in reservations
                    if r.status is status
                    for line in r.lines
                    if line.sku == sku
                )
                assert held == units


# --- products ------------------------------------------------------------------


def test_revised_changes_only_what_is_given():
    product = Product("A", "Mug", "Blue", Money(500, "EUR"), created_at=T0, updated_at=T0)
    renamed = product.revised(now=T1, name="Cup")
    assert (renamed.name, renamed.description, renamed.price) == ("Cup", "Blue", Money(500, "EUR"))
    assert (renamed.created_at, renamed.updated_at) == (T0, T1)
    assert product.name == "Mug"

    repriced = renamed.revised(now=T2, price=Money(450, "USD"), description="")
    assert (repriced.name, repriced.description, repriced.price) == ("Cup", "", Money(450, "USD"))
    assert repriced.updated_at == T2


@pytest.mark.parametrize(
    "lines",
    [
        [ReservationLine("A", 3), ReservationLine("A", 3)],
        [ReservationLine("A", 0)],
        [ReservationLine("A", -2)],
        [],
    ],
    ids=["same-sku-twice", "zero", "negative", "no-lines"],
)
def test_place_refuses_bad_lines_without_touching_stock(lines):
    stock = {"A": Stock("A", available=5)}
    with pytest.raises(InvalidInput):
        Reservation.place(uuid4(), lines, stock, now=T0)
    assert counters(stock["A"]) == ("A", 5, 0, 0)


@pytest.mark.parametrize("quantity", [0, -3])
def test_restock_refuses_nothing_or_less(quantity):
    item = Stock("A", available=5)
    with pytest.raises(InvalidInput):
        item.restock(quantity)
    assert counters(item) == ("A", 5, 0, 0)


def test_received_moves_only_on_restock():
    item = Stock("A", available=5)
    item.restock(3)
    item.reserve(4)
    item.sell(2)
    item.release(2)
    assert (item.available, item.reserved, item.sold, item.received) == (6, 0, 2, 8)
