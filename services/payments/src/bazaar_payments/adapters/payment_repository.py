"""Every query on payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import RowMapping, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import RecordsEvents
from bazaar_payments.adapters.tables import payments
from bazaar_payments.domain.model import DeclineReason, Payment, PaymentStatus


@dataclass(frozen=True, slots=True)
class PaymentFilter:
    customer_id: str | None = None
    """Only this customer's payments; None for all of them (an admin's view)."""
    order_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page, newest first, left off: the last payment it held."""

    created_at: datetime
    payment_id: UUID


def _payment_from_row(row: RowMapping) -> Payment:
    reason = row["decline_reason"]
    return Payment(
        id=row["id"],
        order_id=row["order_id"],
        status=PaymentStatus(row["status"]),
        customer_id=row["customer_id"],
        amount_minor=row["amount_minor"],
        currency=row["currency"],
        decline_reason=None if reason is None else DeclineReason(reason),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        captured_at=row["captured_at"],
        refunded_at=row["refunded_at"],
    )


def _values(payment: Payment) -> dict[str, object]:
    return {
        "customer_id": payment.customer_id,
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "status": payment.status.value,
        "decline_reason": None if payment.decline_reason is None else payment.decline_reason.value,
        "updated_at": payment.updated_at,
        "captured_at": payment.captured_at,
        "refunded_at": payment.refunded_at,
    }


class PaymentRepository:
    def __init__(self, connection: AsyncConnection, seen: list[RecordsEvents]) -> None:
        self._connection = connection
        self._seen = seen
        """The unit of work's: payments written here, whose events it writes at commit."""

    async def for_order(self, order_id: UUID, *, for_update: bool = False) -> Payment | None:
        query = select(payments).where(payments.c.order_id == order_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _payment_from_row(row)

    async def get(self, payment_id: UUID) -> Payment | None:
        query = select(payments).where(payments.c.id == payment_id)
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _payment_from_row(row)

    async def add(self, payment: Payment) -> bool:
        """Insert the order's payment; False when the order has one already.

        A concurrent insert for the same order makes this wait for that
        transaction, then see its row.
        """
        inserted = await self._connection.execute(
            insert(payments)
            .values(
                order_id=payment.order_id,
                id=payment.id,
                created_at=payment.created_at,
                **_values(payment),
            )
            .on_conflict_do_nothing(index_elements=[payments.c.order_id])
            .returning(payments.c.order_id)
        )
        if inserted.first() is None:
            return False
        self._seen.append(payment)
        return True

    async def save(self, payment: Payment) -> None:
        """Write a payment read ``for_update`` in this transaction back."""
        await self._connection.execute(
            payments.update()
            .where(payments.c.order_id == payment.order_id)
            .values(**_values(payment))
        )
        self._seen.append(payment)

    async def page(
        self, payment_filter: PaymentFilter, *, after: PageKey | None, limit: int
    ) -> list[Payment]:
        """Payments newest first, after ``after`` (keyset pagination)."""
        conditions = []
        if payment_filter.customer_id is not None:
            conditions.append(payments.c.customer_id == payment_filter.customer_id)
        if payment_filter.order_id is not None:
            conditions.append(payments.c.order_id == payment_filter.order_id)
        if after is not None:
            conditions.append(
                tuple_(payments.c.created_at, payments.c.id)
                < tuple_(after.created_at, after.payment_id)
            )
        query = (
            select(payments)
            .where(*conditions)
            .order_by(payments.c.created_at.desc(), payments.c.id.desc())
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_payment_from_row(row) for row in rows]
