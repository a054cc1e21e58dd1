"""The hot read of history records, on the asyncpg read pool (``bazaar_common.db.read_pool``).

``GET /history/{id}`` reads the row here and the route renders it
(``entrypoints.rendering``), with no domain object or unit of work in
between; writes and the other reads use the repository.

The statement is written against ``tables`` and compiled once, at import;
``tests/integration/test_reads.py`` prepares it on the migrated schema, so
the table and the statement cannot drift apart.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Uuid, bindparam, select

from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_common.db.read_statement import ReadStatement
from bazaar_history.adapters.tables import records

RECORD = ReadStatement.of(
    "history.record",
    select(
        records.c.id, records.c.customer_id, records.c.created_at, records.c.source_event_id
    ).where(records.c.id == bindparam("record_id", type_=Uuid)),
)
STATEMENTS = (RECORD,)


async def record_row(reads: ReadPool, record_id: UUID) -> Row | None:
    found = await reads.fetch(RECORD, record_id=record_id)
    return found[0] if found else None
