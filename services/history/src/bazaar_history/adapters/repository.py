"""Every query on history records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import RecordsEvents
from bazaar_history.adapters.tables import records
from bazaar_history.domain.model import History, Origin


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page, newest first, left off: the last record it held."""

    created_at: datetime
    record_id: UUID


def _record_from_row(row: RowMapping) -> History:
    origin = None
    if row["source_event_id"] is not None:
        origin = Origin(row["source_event_id"], row["source_subject"])
    return History(
        id=row["id"], customer_id=row["customer_id"], created_at=row["created_at"], origin=origin
    )


class HistoryRepository:
    def __init__(self, connection: AsyncConnection, seen: list[RecordsEvents]) -> None:
        self._connection = connection
        self._seen = seen
        """The unit of work's: records written here, whose events it writes at commit."""

    async def add(self, record: History) -> bool:
        """Insert the record; False when its origin event made one already."""
        origin = record.origin
        inserted = await self._connection.execute(
            insert(records)
            .values(
                id=record.id,
                customer_id=record.customer_id,
                created_at=record.created_at,
                source_event_id=None if origin is None else origin.event_id,
                source_subject=None if origin is None else origin.subject,
            )
            .on_conflict_do_nothing(index_elements=[records.c.source_event_id])
            .returning(records.c.id)
        )
        if inserted.first() is None:
            return False
        self._seen.append(record)
        return True

    async def page(
        self, *, customer_id: str | None, after: PageKey | None, limit: int
    ) -> list[History]:
        """Records newest first after ``after``; only ``customer_id``'s unless None."""
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(records.c.customer_id == customer_id)
        if after is not None:
            conditions.append(
                tuple_(records.c.created_at, records.c.id)
                < tuple_(after.created_at, after.record_id)
            )
        query = (
            select(records)
            .where(*conditions)
            .order_by(records.c.created_at.desc(), records.c.id.desc())
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return [_record_from_row(row) for row in rows]
