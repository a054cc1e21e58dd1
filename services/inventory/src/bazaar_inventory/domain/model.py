"""The inventory model: products, their stock, and reservations per order.

Pure Python, no I/O. Quantities and money are integers; every bound here is
what keeps the arithmetic far from int64 overflow in the database. A
reservation records the events its changes cause (``events``); the unit of
work writes them to the outbox in the transaction that saves it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from bazaar_common.errors import InvalidInput
from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import StockCommitted, StockEvent, StockReleased, StockReserved
from bazaar_inventory.domain.errors import (
    InsufficientStock,
    ReservationConflict,
    Shortage,
    StockLimitExceeded,
    UnknownProducts,
)

MAX_PRICE_MINOR = 10_000_000_000  # 100 million in major units
MAX_LINE_QUANTITY = 10_000
MAX_RESERVATION_LINES = 100
MAX_RESTOCK_QUANTITY = 1_000_000
MAX_UNITS_RECEIVED = 1_000_000_000_000  # per sku, over its lifetime


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    description: str
    price: Money
    created_at: datetime
    updated_at: datetime

    def revised(
        self,
        *,
        now: datetime,
        name: str | None = None,
        description: str | None = None,
        price: Money | None = None,
    ) -> Product:
        return replace(
            self,
            name=self.name if name is None else name,
            description=self.description if description is None else description,
            price=self.price if price is None else price,
            updated_at=now,
        )


@dataclass(slots=True)
class Stock:
    """Units of one sku: ``available + reserved + sold`` must equal ``received``.

    ``received`` moves only on restock, and is stored; the database checks the
    sum on every write, so a unit lost by any code path fails the transaction.
    """

    sku: str
    available: int = 0
    reserved: int = 0
    sold: int = 0
    received: int = -1  # -1: derive from the counters (a new or test-made stock)

    def __post_init__(self) -> None:
        if self.received == -1:
            self.received = self.available + self.reserved + self.sold

    def restock(self, quantity: int) -> None:
        if quantity <= 0:
            raise InvalidInput("A restock adds at least one unit.")
        if self.received + quantity > MAX_UNITS_RECEIVED:
            raise StockLimitExceeded(self.sku, MAX_UNITS_RECEIVED)
        self.available += quantity
        self.received += quantity

    def reserve(self, quantity: int) -> None:
        assert 0 < quantity <= self.available, "checked by Reservation.place"
        self.available -= quantity
        self.reserved += quantity

    def release(self, quantity: int) -> None:
        assert 0 < quantity <= self.reserved, "a reservation releases what it holds"
        self.reserved -= quantity
        self.available += quantity

    def sell(self, quantity: int) -> None:
        assert 0 < quantity <= self.reserved, "a reservation commits what it holds"
        self.reserved -= quantity
        self.sold += quantity


@dataclass(frozen=True, slots=True)
class ReservationLine:
    sku: str
    quantity: int


class ReservationStatus(StrEnum):
    RESERVED = "reserved"
    RELEASED = "released"
    COMMITTED = "committed"


@dataclass(slots=True)
class Reservation:
    """Stock held for one order: all of its lines, or none of them."""

    order_id: UUID
    lines: tuple[ReservationLine, ...]
    status: ReservationStatus
    created_at: datetime
    updated_at: datetime
    events: list[StockEvent] = field(default_factory=list, compare=False, repr=False)

    @property
    def skus(self) -> list[str]:
        return sorted(line.sku for line in self.lines)

    @classmethod
    def place(
        cls,
        order_id: UUID,
        lines: Sequence[ReservationLine],
        stock: Mapping[str, Stock],
        *,
        now: datetime,
    ) -> Reservation:
        """Reserve every line or raise without touching any stock."""
        ordered = tuple(sorted(lines, key=lambda line: line.sku))
        _check_lines(ordered)
        unknown = [line.sku for line in ordered if line.sku not in stock]
        if unknown:
            raise UnknownProducts(unknown)
        shortages = [
            Shortage(line.sku, line.quantity, stock[line.sku].available)
            for line in ordered
            if line.quantity > stock[line.sku].available
        ]
        if shortages:
            raise InsufficientStock(shortages)
        for line in ordered:
            stock[line.sku].reserve(line.quantity)
        reservation = cls(order_id, ordered, ReservationStatus.RESERVED, now, now)
        reservation.events.append(StockReserved(order_id=order_id, lines=reservation.stock_lines))
        return reservation

    def matches(self, lines: Sequence[ReservationLine]) -> bool:
        return self.lines == tuple(sorted(lines, key=lambda line: line.sku))

    def release(self, stock: Mapping[str, Stock], *, now: datetime) -> None:
        """Give the units back. Releasing twice is a no-op; after commit it is refused."""
        if self.status is ReservationStatus.RELEASED:
            return
        if self.status is ReservationStatus.COMMITTED:
            raise ReservationConflict(f"The reservation of order {self.order_id} is committed.")
        for line in self.lines:
            stock[line.sku].release(line.quantity)
        self.status = ReservationStatus.RELEASED
        self.updated_at = now
        self.events.append(StockReleased(order_id=self.order_id, lines=self.stock_lines))

    def commit(self, stock: Mapping[str, Stock], *, now: datetime) -> None:
        """Turn held units into sold ones. Twice is a no-op; after release it is refused."""
        if self.status is ReservationStatus.COMMITTED:
            return
        if self.status is ReservationStatus.RELEASED:
            raise ReservationConflict(f"The reservation of order {self.order_id} was released.")
        for line in self.lines:
            stock[line.sku].sell(line.quantity)
        self.status = ReservationStatus.COMMITTED
        self.updated_at = now
        self.events.append(StockCommitted(order_id=self.order_id))

    @property
    def stock_lines(self) -> tuple[StockLine, ...]:
        """The lines as the saga's events carry them."""
        return tuple(StockLine(sku=line.sku, quantity=line.quantity) for line in self.lines)

    def pull_events(self) -> list[StockEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled


def _check_lines(lines: Sequence[ReservationLine]) -> None:
    if not 0 < len(lines) <= MAX_RESERVATION_LINES:
        raise InvalidInput(f"A reservation has 1 to {MAX_RESERVATION_LINES} lines.")
    if len({line.sku for line in lines}) != len(lines):
        raise InvalidInput("Each sku may appear in one line only.")
    if any(not 0 < line.quantity <= MAX_LINE_QUANTITY for line in lines):
        raise InvalidInput(f"Each line reserves 1 to {MAX_LINE_QUANTITY} units.")
