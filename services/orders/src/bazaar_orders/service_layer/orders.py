"""Use cases on orders that customers and admins call: read, list, cancel.

The reads run on the read pool and hand rows to the routes, which render
them (``entrypoints.order_rendering``); only cancelling loads the aggregate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_orders.adapters import order_reads
from bazaar_orders.adapters.order_repository import PagePosition
from bazaar_orders.domain.errors import OrderNotFound
from bazaar_orders.domain.model import CancelReason, Order, Outcome, order_visible_to
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: a customer sees their own orders, an admin every order."""

    customer_id: str
    is_admin: bool

    def may_see(self, order: Order) -> bool:
        return self.may_see_orders_of(order.customer_id)

    def may_see_orders_of(self, customer_id: str) -> bool:
        return order_visible_to(customer_id, self.customer_id, is_admin=self.is_admin)


async def read_order(reads: ReadPool, order_id: UUID, viewer: Viewer) -> Sequence[Row]:
    """The order's rows (``order_reads.order_with_lines``) if ``viewer`` may see it."""
    rows = await order_reads.order_with_lines(reads, order_id)
    if not rows or not viewer.may_see_orders_of(rows[0]["customer_id"]):
        raise OrderNotFound(order_id)  # another's order is answered as a missing one
    return rows


async def read_order_page(
    reads: ReadPool, *, customer_id: str | None, after: PagePosition | None, limit: int
) -> list[list[Row]]:
    """A page of orders newest first (each its rows): one customer's, or everyone's with None."""
    return await order_reads.order_page(reads, customer_id=customer_id, after=after, limit=limit)


async def cancel_order(
    uow: OrdersUnitOfWork, order_id: UUID, viewer: Viewer, *, clock: Clock = utc_now
) -> Order:
    """Cancel a pending order with its compensations; a cancelled one stays as it is."""
    async with uow:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None or not viewer.may_see(order):
            raise OrderNotFound(order_id)
        if order.cancel(CancelReason.CUSTOMER_CANCELLED, now=clock()) is Outcome.APPLIED:
            await uow.orders.save(order)
            await uow.commit()
    return order
