"""The saga's replies applied to their order, one locked transition at a time.

Called by the consumer's handlers inside its open unit of work, so the
order's new state, its transition, the next commands and the inbox row of
the reply commit together: a reply has its effect once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_orders.domain.model import Order, Outcome
from bazaar_orders.service_layer import checkpoints
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork

logger = logging.getLogger("bazaar.orders.saga")

Reply = Callable[[Order, datetime, UUID], Outcome]
"""Applies one reply to the order: ``lambda order, now, cause: order.on_...(...)``."""


def stock_reserved(order: Order, now: datetime, cause: UUID) -> Outcome:
    return order.on_stock_reserved(now=now, cause_event_id=cause)


def stock_rejected(order: Order, now: datetime, cause: UUID) -> Outcome:
    return order.on_stock_rejected(now=now, cause_event_id=cause)


def payment_captured(order: Order, now: datetime, cause: UUID) -> Outcome:
    return order.on_payment_captured(now=now, cause_event_id=cause)


def payment_declined(order: Order, now: datetime, cause: UUID) -> Outcome:
    return order.on_payment_declined(now=now, cause_event_id=cause)


async def apply_reply(
    uow: OrdersUnitOfWork,
    order_id: UUID,
    reply: Reply,
    *,
    reply_type: str,
    cause_event_id: UUID,
    clock: Clock = utc_now,
) -> Outcome | None:
    """The reply's outcome, or None for an order this service does not have."""
    fields = {"order_id": str(order_id), "reply": reply_type, "event_id": str(cause_event_id)}
    async with uow:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None:
            # Not ours, or from another environment: nothing to do, and no retry helps.
            logger.warning("reply for an unknown order ignored", extra=fields)
            return None
        before = order.status.value
        outcome = reply(order, clock(), cause_event_id)
        if outcome is Outcome.IGNORED:
            logger.info("reply out of place ignored", extra={**fields, "status": before})
        else:
            if outcome is Outcome.COMPENSATED:
                logger.info("late reply on a cancelled order compensated", extra=fields)
            await uow.orders.save(order)
        await uow.commit()
    checkpoints.passed(checkpoints.reply_applied(reply_type))
    return outcome
