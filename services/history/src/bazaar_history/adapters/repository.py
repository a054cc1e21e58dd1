"""Every query on order histories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_history.adapters.tables import order_history
from bazaar_history.domain.model import Line, OrderHistory, OrderState, PaymentState


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page, newest first, left off: the last order it held."""

    first_event_at: datetime
    order_id: UUID


def _values(history: OrderHistory) -> dict[str, Any]:
    return {
        "order_id": history.order_id,
        "first_event_at": history.first_event_at,
        "state": history.state.value,
        "customer_id": history.customer_id,
        "lines": None
        if history.lines is None
        else [
            {"sku": line.sku, "quantity": line.quantity, "unit_price_minor": line.unit_price_minor}
            for line in history.lines
        ],
        "total_minor": history.total_minor,
        "currency": history.currency,
        "placed_at": history.placed_at,
        "confirmed_at": history.confirmed_at,
        "cancelled_at": history.cancelled_at,
        "cancel_reason": history.cancel_reason,
        "payment_state": None if history.payment_state is None else history.payment_state.value,
        "payment_id": history.payment_id,
        "payment_amount_minor": history.payment_amount_minor,
        "payment_decline_reason": history.payment_decline_reason,
        "shipment_id": history.shipment_id,
        "shipment_created_at": history.shipment_created_at,
    }


def _from_row(row: RowMapping) -> OrderHistory:
    fields = dict(row)
    lines, state, payment_state = (
        fields.pop("lines"),
        fields.pop("state"),
        fields.pop("payment_state"),
    )
    return OrderHistory(
        **fields,
        state=OrderState(state),
        lines=None if lines is None else tuple(Line(**line) for line in lines),
        payment_state=None if payment_state is None else PaymentState(payment_state),
    )


class OrderHistoryRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, history: OrderHistory) -> bool:
        """Insert the order's row; False when it has one already (nothing written).

        A concurrent insert of the same order waits for the other transaction
        and then finds its row, so the loser merges into it (``locked``).
        """
        inserted = await self._connection.execute(
            insert(order_history)
            .values(**_values(history))
            .on_conflict_do_nothing(index_elements=[order_history.c.order_id])
            .returning(order_history.c.order_id)
        )
        return inserted.first() is not None

    async def locked(self, order_id: UUID) -> OrderHistory | None:
        """The order's row, locked until the transaction ends: one merge at a time."""
        query = select(order_history).where(order_history.c.order_id == order_id).with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _from_row(row)

    async def replace(self, history: OrderHistory) -> None:
        await self._connection.execute(
            update(order_history)
            .where(order_history.c.order_id == history.order_id)
            .values(**_values(history))
        )

    async def get(self, order_id: UUID) -> OrderHistory | None:
        query = select(order_history).where(order_history.c.order_id == order_id)
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _from_row(row)

    async def page(
        self,
        *,
        customer_id: str | None,
        state: OrderState | None,
        after: PageKey | None,
        limit: int,
    ) -> list[OrderHistory]:
        """Orders newest first after ``after``; only ``customer_id``'s, ``state``'s unless None."""
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(order_history.c.customer_id == customer_id)
        if state is not None:
            conditions.append(order_history.c.state == state.value)
        if after is not None:
            conditions.append(
                tuple_(order_history.c.first_event_at, order_history.c.order_id)
                < tuple_(after.first_event_at, after.order_id)
            )
        query = (
            select(order_history)
            .where(*conditions)
            .order_by(order_history.c.first_event_at.desc(), order_history.c.order_id.desc())
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_from_row(row) for row in rows]

    async def count(self) -> int:
        total = await self._connection.scalar(select(func.count()).select_from(order_history))
        return int(total or 0)
