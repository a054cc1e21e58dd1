"""What can go wrong in the orders domain, each with its status."""

from __future__ import annotations

from collections.abc import Sequence

from bazaar_common.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable


class OrderNotFound(NotFound):
    """Also what another customer's order answers: the two must not be told apart."""

    code = "order-not-found"
    title = "Order not found"

    def __init__(self, order_id: object) -> None:
        super().__init__(f"No order {order_id}.")


class OrderNotCancellable(Conflict):
    code = "order-not-cancellable"
    title = "Order cannot be cancelled"

    def __init__(self, order_id: object, status: str) -> None:
        super().__init__(f"Order {order_id} is {status} and can no longer be cancelled.")


class UnknownProducts(InvalidInput):
    code = "unknown-products"
    title = "Unknown products"

    def __init__(self, skus: Sequence[str]) -> None:
        ordered = sorted(skus)
        super().__init__(f"No product with sku {', '.join(ordered)}.", skus=ordered)


class MixedCurrencies(InvalidInput):
    code = "mixed-currencies"
    title = "Mixed currencies"

    def __init__(self, currencies: Sequence[str]) -> None:
        ordered = sorted(currencies)
        super().__init__(
            f"The products are priced in {', '.join(ordered)}; an order has one currency.",
            currencies=ordered,
        )


class InventoryUnavailable(ServiceUnavailable):
    code = "inventory-unavailable"
    title = "Inventory unavailable"

    def __init__(
        self, detail: str = "Prices cannot be looked up right now; retry shortly."
    ) -> None:
        super().__init__(detail, retry_after_seconds=2)
