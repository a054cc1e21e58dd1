"""What a reservation tells the saga: the events its changes record, and a refusal's answer."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import (
    Shortage as ShortageOut,
)
from bazaar_contracts.inventory import (
    StockCommitted,
    StockRejected,
    StockReleased,
    StockReserved,
)
from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    InsufficientStock,
    Shortage,
    UnknownProducts,
)
from bazaar_inventory.domain.model import Reservation, ReservationLine, Stock
from bazaar_inventory.domain.refusal import REFUSALS, REJECTION_REASONS, RefusedReservation

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def placed(order_id=None) -> tuple[Reservation, dict[str, Stock]]:
    stock = {"A": Stock("A", available=5), "B": Stock("B", available=5)}
    lines = [ReservationLine("B", 1), ReservationLine("A", 2)]
    return Reservation.place(order_id or uuid4(), lines, stock, now=T0), stock


def test_placing_records_stock_reserved_with_the_lines_in_sku_order():
    order_id = uuid4()
    reservation, _ = placed(order_id)
    assert reservation.pull_events() == [
        StockReserved(
            order_id=order_id,
            lines=(StockLine(sku="A", quantity=2), StockLine(sku="B", quantity=1)),
        )
    ]
    assert reservation.pull_events() == []  # pulled once


def test_release_and_commit_record_one_event_each_however_often_called():
    released, stock = placed()
    released.pull_events()
    released.release(stock, now=T0)
    released.release(stock, now=T0)
    assert released.pull_events() == [
        StockReleased(order_id=released.order_id, lines=released.stock_lines)
    ]

    committed, stock = placed()
    committed.pull_events()
    committed.commit(stock, now=T0)
    committed.commit(stock, now=T0)
    assert committed.pull_events() == [StockCommitted(order_id=committed.order_id)]


def test_a_refused_reservation_records_no_event():
    stock = {"A": Stock("A", available=1)}
    with pytest.raises(InsufficientStock):
        Reservation.place(uuid4(), [ReservationLine("A", 2)], stock, now=T0)


@pytest.mark.parametrize(
    ("refusal", "reason", "shortages"),
    [
        (
            InsufficientStock([Shortage("A", 3, 1)]),
            "insufficient-stock",
            (ShortageOut(sku="A", requested=3, available=1),),
        ),
        (UnknownProducts(["NOPE"]), "unknown-products", ()),
        (DifferentReservationHeld("x"), "reservation-conflict", ()),
    ],
)
def test_a_refusal_records_stock_rejected_with_its_reason(refusal, reason, shortages):
    order_id = uuid4()
    refused = RefusedReservation.of(order_id, refusal)
    assert refused.pull_events() == [
        StockRejected(order_id=order_id, reason=reason, shortages=shortages)
    ]
    assert refused.pull_events() == []


def test_every_refusal_has_a_reason():
    assert set(REFUSALS) == set(REJECTION_REASONS)
