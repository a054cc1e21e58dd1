"""The one write: an event's fact merged into its order's row.

Called by the consumer's handlers, live and in a rebuild from the archive
alike, inside the consumer's unit of work (with the message's inbox row).
"""

from __future__ import annotations

from bazaar_history.domain.model import OrderHistory
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def merge_fact(uow: HistoryUnitOfWork, fact: OrderHistory) -> OrderHistory:
    """The order's row with ``fact`` merged in, as saved."""
    async with uow:
        if await uow.orders.add(fact):  # the order's first event: the fact is the row
            merged = fact
        else:
            current = await uow.orders.locked(fact.order_id)
            assert current is not None, "rows are never deleted"
            merged = current.merge(fact)
            if merged != current:
                await uow.orders.replace(merged)
        await uow.commit()
    return merged
