"""Use cases on orders that customers and admins call: read, list, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_orders.adapters.order_repository import PagePosition
from bazaar_orders.domain.errors import OrderNotFound
from bazaar_orders.domain.model import CancelReason, Order, Outcome
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: a customer sees their own orders, an admin every order."""

    customer_id: str
    is_admin: bool

    def may_see(self, order: Order) -> bool:
        return order.visible_to(self.customer_id, is_admin=self.is_admin)


async def get_order(uow: OrdersUnitOfWork, order_id: UUID, viewer: Viewer) -> Order:
    async with uow.reading():
        order = await uow.orders.get_with_lines(order_id)
    if order is None or not viewer.may_see(order):
        raise OrderNotFound(order_id)  # another's order is answered as a missing one
    return order


async def list_orders(
    uow: OrdersUnitOfWork, *, customer_id: str | None, after: PagePosition | None, limit: int
) -> list[Order]:
    """A page of orders newest first: one customer's, or everyone's with ``None``."""
    async with uow.reading():
        return await uow.orders.page(customer_id=customer_id, after=after, limit=limit)


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
