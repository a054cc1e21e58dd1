"""What the API reads: order histories, as the caller may see them."""

from __future__ import annotations

from uuid import UUID

from bazaar_history.adapters.repository import PageKey
from bazaar_history.domain.errors import OrderHistoryNotFound
from bazaar_history.domain.model import OrderHistory, OrderState
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def order_history(
    uow: HistoryUnitOfWork, order_id: UUID, *, customer_id: str | None
) -> OrderHistory:
    """The order's history, if ``customer_id`` may read it (None: anyone's); else not found."""
    async with uow.reading():
        found = await uow.orders.get(order_id)
    if found is None or not found.visible_to(customer_id):
        raise OrderHistoryNotFound(order_id)
    return found


async def order_history_page(
    uow: HistoryUnitOfWork,
    *,
    customer_id: str | None,
    state: OrderState | None,
    after: PageKey | None,
    limit: int,
) -> list[OrderHistory]:
    async with uow.reading():
        return await uow.orders.page(customer_id=customer_id, state=state, after=after, limit=limit)
