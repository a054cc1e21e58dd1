"""What can go wrong in the payments domain, each with its status."""

from __future__ import annotations

from uuid import UUID

from bazaar_common.errors import Conflict, NotFound


class PaymentNotFound(NotFound):
    """Also what a caller gets for another customer's payment: the two look the same."""

    code = "payment-not-found"
    title = "Payment not found"

    def __init__(self, payment_id: UUID) -> None:
        super().__init__(f"No payment with id {payment_id}.", payment_id=str(payment_id))


class PaymentRace(Conflict):
    """Another command stored this order's payment first, after we looked.

    Raised inside a message handler: its transaction rolls back and the
    message comes back, and the retry finds the payment the other one stored.
    """

    code = "payment-race"
    title = "Payment changed concurrently"

    def __init__(self, order_id: UUID) -> None:
        super().__init__(
            f"Order {order_id} got its payment from a concurrent command; retry.",
            headers={"Retry-After": "1"},
            order_id=str(order_id),
        )
