"""The cross-database checks themselves: each finds what it names, and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from bazaar_devstack.invariants import (
    Books,
    every_event_audited_once,
    shipments_follow_confirmations,
)

CONFIRMED, CANCELLED = UUID(int=1), UUID(int=2)


def books(
    shipments: list[dict[str, Any]],
    *,
    audited: list[UUID] | None = None,
    published_at: Mapping[UUID, datetime | None] | None = None,
) -> Books:
    orders = {
        CONFIRMED: {"id": CONFIRMED, "status": "CONFIRMED", "customer_id": "alice"},
        CANCELLED: {"id": CANCELLED, "status": "CANCELLED", "customer_id": "bob"},
    }
    return Books(
        orders=orders,  # type: ignore[arg-type]  # rows are read by key, like asyncpg's
        lines=[],
        transitions=[],
        stock={},
        reservations={},
        payments={},
        shipments=shipments,  # type: ignore[arg-type]
        audit_ids=list(audited or []),
        published_at={str(event): at for event, at in (published_at or {}).items()},
    )


def shipment(order_id: UUID, customer_id: str = "alice", number: int = 10) -> dict[str, Any]:
    return {"id": UUID(int=number), "order_id": order_id, "customer_id": customer_id}


def test_one_shipment_of_each_confirmed_order_holds():
    assert shipments_follow_confirmations(books([shipment(CONFIRMED)])) == []


def test_a_confirmed_order_without_a_shipment_or_with_two_is_found():
    assert shipments_follow_confirmations(books([])) == [f"confirmed {CONFIRMED}: 0 shipments"]
    twice = books([shipment(CONFIRMED), shipment(CONFIRMED, number=11)])
    assert shipments_follow_confirmations(twice) == [f"confirmed {CONFIRMED}: 2 shipments"]


def test_a_shipment_of_a_cancelled_or_unknown_order_or_another_customer_is_found():
    found = shipments_follow_confirmations(
        books(
            [
                shipment(CONFIRMED, customer_id="mallory"),
                shipment(CANCELLED, customer_id="bob", number=11),
                shipment(UUID(int=3), number=12),
            ]
        )
    )

    assert found == [
        f"shipment {UUID(int=10)}: not for the order's customer",
        f"shipment {UUID(int=11)}: its order is CANCELLED",
        f"shipment {UUID(int=12)}: its order is None",
    ]


MOMENT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BEFORE, AFTER = MOMENT - timedelta(seconds=1), MOMENT + timedelta(seconds=1)
EARLY, LATE, DOUBLE = UUID(int=20), UUID(int=21), UUID(int=22)


def test_every_published_event_audited_once_holds():
    published = {EARLY: BEFORE, LATE: AFTER}
    assert every_event_audited_once(books([], audited=[EARLY, LATE], published_at=published)) == []


def test_a_missing_a_doubled_and_an_unpublished_event_are_each_found():
    published = {EARLY: BEFORE, LATE: None, DOUBLE: AFTER}
    found = every_event_audited_once(books([], audited=[DOUBLE, DOUBLE], published_at=published))
    assert found == [
        f"1 events not published: ['{LATE}']",
        f"1 events audited twice: ['{DOUBLE}']",
        f"2 events published but not audited: ['{EARLY}', '{LATE}']",
    ]
