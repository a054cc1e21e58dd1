"""A reservation the stock refused: nothing is held or stored, only the answer is sent.

The saga's ``ReserveStock`` gets an answer either way. A refusal is an
aggregate of its own so that its ``StockRejected`` reaches the outbox as
every other event does: recorded here, written by the unit of work. The
refusing ``Reservation.place`` raises instead, because the HTTP route that
calls it answers a refusal with a problem, not an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from bazaar_contracts.inventory import Shortage, StockEvent, StockRejected
from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    InsufficientStock,
    UnknownProducts,
)

Refusal = InsufficientStock | UnknownProducts | DifferentReservationHeld
REFUSALS = (InsufficientStock, UnknownProducts, DifferentReservationHeld)
"""Final answers, told to the saga. Anything else (a reservation being made
concurrently, lines out of bounds, the database) is raised and retried."""

REJECTION_REASONS: dict[type[Refusal], str] = {
    InsufficientStock: "insufficient-stock",
    UnknownProducts: "unknown-products",
    DifferentReservationHeld: "reservation-conflict",
}


@dataclass(slots=True)
class RefusedReservation:
    order_id: UUID
    refusal: Refusal
    events: list[StockEvent] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, order_id: UUID, refusal: Refusal) -> RefusedReservation:
        refused = cls(order_id, refusal)
        shortages = refusal.shortages if isinstance(refusal, InsufficientStock) else ()
        refused.events.append(
            StockRejected(
                order_id=order_id,
                reason=REJECTION_REASONS[type(refusal)],
                shortages=tuple(
                    Shortage(sku=item.sku, requested=item.requested, available=item.available)
                    for item in shortages
                ),
            )
        )
        return refused

    def pull_events(self) -> list[StockEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled
