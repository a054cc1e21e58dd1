"""The cross-database checks themselves: each finds what it names, and nothing else."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from bazaar_devstack.invariants import Books, shipments_follow_confirmations

CONFIRMED, CANCELLED = UUID(int=1), UUID(int=2)


def books(shipments: list[dict[str, Any]]) -> Books:
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
        audit_ids=[],
        outbox_ids=[],
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
