"""What can go wrong reading an order's history, each with its status."""

from __future__ import annotations

from uuid import UUID

from bazaar_common.errors import NotFound


class OrderHistoryNotFound(NotFound):
    """Also what a caller gets for another customer's order: the two look the same."""

    code = "order-not-found"
    title = "Order not found"

    def __init__(self, order_id: UUID) -> None:
        super().__init__(f"No order with id {order_id} in the history.", order_id=str(order_id))
