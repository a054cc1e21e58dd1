"""Every query on shipments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import RecordsEvents
from bazaar_shipping.adapters.tables import shipments
from bazaar_shipping.domain.model import Shipment


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page, newest first, left off: the last shipment it held."""

    created_at: datetime
    shipment_id: UUID


def _shipment_from_row(row: RowMapping) -> Shipment:
    return Shipment(
        id=row["id"],
        order_id=row["order_id"],
        customer_id=row["customer_id"],
        created_at=row["created_at"],
    )


class ShipmentRepository:
    def __init__(self, connection: AsyncConnection, seen: list[RecordsEvents]) -> None:
        self._connection = connection
        self._seen = seen
        """The unit of work's: shipments written here, whose events it writes at commit."""

    async def add(self, shipment: Shipment) -> bool:
        """Insert the shipment; False when its order has one already (nothing written)."""
        inserted = await self._connection.execute(
            insert(shipments)
            .values(
                id=shipment.id,
                order_id=shipment.order_id,
                customer_id=shipment.customer_id,
                created_at=shipment.created_at,
            )
            .on_conflict_do_nothing(index_elements=[shipments.c.order_id])
            .returning(shipments.c.id)
        )
        if inserted.first() is None:
            return False
        self._seen.append(shipment)
        return True

    async def get(self, shipment_id: UUID) -> Shipment | None:
        return await self._one(shipments.c.id == shipment_id)

    async def of_order(self, order_id: UUID) -> Shipment | None:
        return await self._one(shipments.c.order_id == order_id)

    async def _one(self, condition: ColumnElement[bool]) -> Shipment | None:
        row = (
            (await self._connection.execute(select(shipments).where(condition))).mappings().first()
        )
        return None if row is None else _shipment_from_row(row)

    async def page(
        self, *, customer_id: str | None, after: PageKey | None, limit: int
    ) -> list[Shipment]:
        """Shipments newest first after ``after``; only ``customer_id``'s unless None."""
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(shipments.c.customer_id == customer_id)
        if after is not None:
            conditions.append(
                tuple_(shipments.c.created_at, shipments.c.id)
                < tuple_(after.created_at, after.shipment_id)
            )
        query = (
            select(shipments)
            .where(*conditions)
            .order_by(shipments.c.created_at.desc(), shipments.c.id.desc())
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_shipment_from_row(row) for row in rows]
