"""What can go wrong in the inventory domain, each with its status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bazaar_common.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class Shortage:
    sku: str
    requested: int
    available: int


class ProductNotFound(NotFound):
    code = "product-not-found"
    title = "Product not found"

    def __init__(self, sku: str) -> None:
        super().__init__(f"No product with sku {sku!r}.", sku=sku)


class UnknownProducts(InvalidInput):
    code = "unknown-products"
    title = "Unknown products"

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"No product with sku {', '.join(skus)}.", skus=skus)


class ProductAlreadyExists(Conflict):
    code = "product-exists"
    title = "Product already exists"

    def __init__(self, sku: str) -> None:
        super().__init__(f"A product with sku {sku!r} already exists.", sku=sku)


class StockLimitExceeded(InvalidInput):
    code = "stock-limit-exceeded"
    title = "Stock limit exceeded"

    def __init__(self, sku: str, limit: int) -> None:
        super().__init__(f"Stock of {sku!r} would exceed {limit} units.", sku=sku, limit=limit)


class InsufficientStock(Conflict):
    code = "insufficient-stock"
    title = "Insufficient stock"

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        self.shortages = tuple(shortages)
        skus = ", ".join(item.sku for item in self.shortages)
        super().__init__(
            f"Not enough stock for {skus}.", shortages=[asdict(item) for item in self.shortages]
        )


class ReservationNotFound(NotFound):
    code = "reservation-not-found"
    title = "Reservation not found"

    def __init__(self, order_id: object) -> None:
        super().__init__(f"No reservation for order {order_id}.", order_id=str(order_id))


class ReservationConflict(Conflict):
    """The order's reservation is in a state that forbids the change."""

    code = "reservation-conflict"
    title = "Reservation conflict"


class DifferentReservationHeld(ReservationConflict):
    """The order already holds a reservation of other lines: a final answer."""

    def __init__(self, order_id: object) -> None:
        super().__init__(
            f"Order {order_id} already holds a different reservation.", order_id=str(order_id)
        )


class ReservationInProgress(ReservationConflict):
    """Another request is making this order's reservation right now: a retry sees its outcome."""

    def __init__(self, order_id: object) -> None:
        super().__init__(
            f"A reservation for order {order_id} is being made; retry.",
            headers={"Retry-After": "1"},
            order_id=str(order_id),
        )
