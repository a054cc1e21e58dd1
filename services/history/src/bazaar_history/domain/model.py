"""An order's history: one row per order, merged from whichever of its events have come.

Pure Python, no I/O. Events reach the consumer at least once and in any
order, so a row is never "updated by the next step": each event is turned
into a *fact* (the row as that event alone knows it, ``facts.fact_of``) and
merged into what is there. The merge is a join: commutative, associative and
idempotent, so every permutation of an order's events, each any number of
times, gives the same row.

- ``state``: the highest of PENDING < CONFIRMED < CANCELLED. A terminal
  state wins over PENDING whenever it comes; the saga never both confirms and
  cancels an order, and if it ever did, CANCELLED would win either way.
- ``payment_state``: the highest of none < declined < captured < refunded: a
  refund follows a capture, whatever order the two arrive in.
- ``first_event_at``: the earliest event time seen: the placement's once
  ``OrderPlaced`` is in (every other event of the order follows it). Pages
  are ordered by it, so it is never null.
- Every other field is filled by the events that carry it and never
  cleared: an event that knows nothing of a field leaves it as it is, and
  copies of one event agree. Should two events ever disagree (an event sent
  again with other data), the least value wins, so the row still depends
  only on the set of events, not on their order.

Times are the events' own (their envelopes' ``time``), never the clock of
the process applying them: rebuilt from the archive, a row is the same to the
microsecond.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID


class OrderState(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class PaymentState(StrEnum):
    DECLINED = "declined"
    CAPTURED = "captured"
    REFUNDED = "refunded"


# The join of each state: the higher rank wins.
STATE_RANK = {OrderState.PENDING: 0, OrderState.CONFIRMED: 1, OrderState.CANCELLED: 2}
PAYMENT_RANK = {
    None: 0,
    PaymentState.DECLINED: 1,
    PaymentState.CAPTURED: 2,
    PaymentState.REFUNDED: 3,
}


@dataclass(frozen=True, order=True, slots=True)
class Line:
    sku: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True, slots=True)
class OrderHistory:
    order_id: UUID
    first_event_at: datetime
    """The earliest event time seen (the placement's, once it came): the pages' order."""
    state: OrderState = OrderState.PENDING
    customer_id: str | None = None
    """The owner, who may read it; None until an event naming the customer comes."""
    lines: tuple[Line, ...] | None = None
    total_minor: int | None = None
    currency: str | None = None
    placed_at: datetime | None = None
    confirmed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    payment_state: PaymentState | None = None
    payment_id: UUID | None = None
    payment_amount_minor: int | None = None
    payment_decline_reason: str | None = None
    shipment_id: UUID | None = None
    shipment_created_at: datetime | None = None

    def merge(self, other: OrderHistory) -> OrderHistory:
        """This row with ``other``'s facts in; the same whichever of the two came first."""
        if other.order_id != self.order_id:
            raise ValueError(f"cannot merge order {other.order_id} into {self.order_id}")
        merged: dict[str, Any] = {
            field.name: _least(getattr(self, field.name), getattr(other, field.name))
            for field in dataclasses.fields(self)
        }
        merged["state"] = max(self.state, other.state, key=STATE_RANK.__getitem__)
        merged["payment_state"] = max(
            self.payment_state, other.payment_state, key=PAYMENT_RANK.__getitem__
        )
        return OrderHistory(**merged)

    def visible_to(self, customer_id: str | None) -> bool:
        """Whether ``customer_id`` may read it (None: an admin, who reads all).

        A row no event has named a customer for yet is for admins only.
        """
        return customer_id is None or self.customer_id == customer_id


ValueT = TypeVar("ValueT")


def _least(mine: ValueT | None, theirs: ValueT | None) -> ValueT | None:
    """The value known, or the least of two: one rule for every plain field."""
    if mine is None:
        return theirs
    if theirs is None:
        return mine
    known: Any = mine  # every field's values are ordered: text, numbers, times, ids, lines
    return known if known <= theirs else theirs
