"""What the API reads: history records, as the caller may see them."""

from __future__ import annotations

from uuid import UUID

from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_history.adapters.reads import record_row
from bazaar_history.adapters.repository import PageKey
from bazaar_history.domain.errors import HistoryNotFound
from bazaar_history.domain.model import History, visible_to
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def read_record(reads: ReadPool, record_id: UUID, *, customer_id: str | None) -> Row:
    """The record's row (``adapters.reads``), if ``customer_id`` may read it; else not found."""
    row = await record_row(reads, record_id)
    if row is None or not visible_to(row["customer_id"], customer_id):
        raise HistoryNotFound(record_id)
    return row


async def records_page(
    uow: HistoryUnitOfWork, *, customer_id: str | None, after: PageKey | None, limit: int
) -> list[History]:
    async with uow.reading():
        return await uow.records.page(customer_id=customer_id, after=after, limit=limit)
