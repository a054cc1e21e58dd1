"""Every query on orders, their lines and their transitions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import RecordsEvents
from bazaar_orders.adapters.tables import order_lines, order_transitions, orders
from bazaar_orders.domain.model import (
    CancelReason,
    Order,
    OrderLine,
    OrderStatus,
    SagaStep,
    Transition,
)


@dataclass(frozen=True, slots=True)
class PagePosition:
    """The last order of a page: the next page starts strictly after it."""

    created_at: datetime
    order_id: UUID


def _order_from_row(row: RowMapping, lines: Iterable[OrderLine]) -> Order:
    return Order(
        id=row["id"],
        customer_id=row["customer_id"],
        card_token=row["card_token"],
        lines=tuple(lines),
        currency=row["currency"],
        total_minor=row["total_minor"],
        status=OrderStatus(row["status"]),
        step=None if row["step"] is None else SagaStep(row["step"]),
        step_started_at=row["step_started_at"],
        cancel_reason=None if row["cancel_reason"] is None else CancelReason(row["cancel_reason"]),
        stock_requested=row["stock_requested"],
        capture_requested=row["capture_requested"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def _state_values(order: Order) -> dict[str, object]:
    return {
        "status": order.status.value,
        "step": None if order.step is None else order.step.value,
        "step_started_at": order.step_started_at,
        "cancel_reason": None if order.cancel_reason is None else order.cancel_reason.value,
        "stock_requested": order.stock_requested,
        "capture_requested": order.capture_requested,
        "version": order.version,
        "updated_at": order.updated_at,
    }


def _transition_from_row(row: RowMapping) -> Transition:
    return Transition(
        seq=row["seq"],
        from_status=None if row["from_status"] is None else OrderStatus(row["from_status"]),
        from_step=None if row["from_step"] is None else SagaStep(row["from_step"]),
        to_status=OrderStatus(row["to_status"]),
        to_step=None if row["to_step"] is None else SagaStep(row["to_step"]),
        reason=row["reason"],
        cause_event_id=row["cause_event_id"],
        at=row["at"],
    )


class OrderRepository:
    def __init__(self, connection: AsyncConnection, seen: list[RecordsEvents]) -> None:
        self._connection = connection
        self._seen = seen
        """The unit of work's: orders added or saved here, whose events it writes at commit."""

    async def add(self, order: Order) -> None:
        await self._connection.execute(
            orders.insert().values(
                id=order.id,
                customer_id=order.customer_id,
                total_minor=order.total_minor,
                currency=order.currency,
                card_token=order.card_token,
                created_at=order.created_at,
                **_state_values(order),
            )
        )
        await self._connection.execute(
            order_lines.insert(),
            [
                {
                    "order_id": order.id,
                    "position": position,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_price_minor,
                }
                for position, line in enumerate(order.lines)
            ],
        )
        await self._write_transitions(order)
        self._seen.append(order)

    async def save(self, order: Order) -> None:
        """Write what an order loaded ``for_update`` did: its transitions and its events.

        A reply that only sends a compensation changes no row, but its events
        are still written to the outbox by the unit of work.
        """
        if order.new_transitions:
            loaded_version = order.version - len(order.new_transitions)
            updated = await self._connection.execute(
                orders.update()
                .where(orders.c.id == order.id, orders.c.version == loaded_version)
                .values(**_state_values(order))
            )
            if updated.rowcount != 1:
                raise RuntimeError(f"order {order.id} changed under a transition: lock it first")
            await self._write_transitions(order)
        self._seen.append(order)

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        query = select(orders).where(orders.c.id == order_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        if row is None:
            return None
        lines = await self._lines_of([order_id])
        return _order_from_row(row, lines[order_id])

    async def lock_overdue(self, *, started_before: datetime, limit: int) -> list[Order]:
        """PENDING orders whose step started before the cutoff, locked for this transaction.

        ``SKIP LOCKED``: several sweepers share the work, and an order a reply
        is being applied to right now is left for the next sweep.
        """
        query = (
            select(orders)
            .where(orders.c.status == OrderStatus.PENDING.value)
            .where(orders.c.step_started_at < started_before)
            .order_by(orders.c.step_started_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        lines = await self._lines_of([row["id"] for row in rows])
        return [_order_from_row(row, lines[row["id"]]) for row in rows]

    async def transitions_of(self, order_id: UUID) -> list[Transition]:
        rows = await self._connection.execute(
            select(order_transitions)
            .where(order_transitions.c.order_id == order_id)
            .order_by(order_transitions.c.seq)
        )
        return [_transition_from_row(row) for row in rows.mappings()]

    async def _lines_of(self, order_ids: Sequence[UUID]) -> dict[UUID, list[OrderLine]]:
        found: dict[UUID, list[OrderLine]] = defaultdict(list)
        if not order_ids:
            return found
        rows = await self._connection.execute(
            select(order_lines)
            .where(order_lines.c.order_id.in_(order_ids))
            .order_by(order_lines.c.order_id, order_lines.c.position)
        )
        for row in rows.mappings():
            found[row["order_id"]].append(
                OrderLine(row["sku"], row["quantity"], row["unit_price_minor"])
            )
        return found

    async def _write_transitions(self, order: Order) -> None:
        if not order.new_transitions:
            return
        await self._connection.execute(
            order_transitions.insert(),
            [
                {
                    "order_id": order.id,
                    "seq": transition.seq,
                    "from_status": None
                    if transition.from_status is None
                    else transition.from_status.value,
                    "from_step": None
                    if transition.from_step is None
                    else transition.from_step.value,
                    "to_status": transition.to_status.value,
                    "to_step": None if transition.to_step is None else transition.to_step.value,
                    "reason": transition.reason,
                    "cause_event_id": transition.cause_event_id,
                    "at": transition.at,
                }
                for transition in order.new_transitions
            ],
        )
        order.new_transitions.clear()
