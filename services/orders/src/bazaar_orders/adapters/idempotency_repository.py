"""Every query on idempotency keys."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, RowMapping, and_, delete, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_orders.adapters.tables import idempotency_keys as keys
from bazaar_orders.domain.idempotency import IdempotencyRecord, KeyState, StoredResponse


def _record_from_row(row: RowMapping) -> IdempotencyRecord:
    response = None
    if row["state"] == KeyState.COMPLETED.value:
        response = StoredResponse(row["response_status"], row["response_body"], row["order_id"])
    return IdempotencyRecord(
        customer_id=row["customer_id"],
        key=row["key"],
        fingerprint=row["fingerprint"],
        state=KeyState(row["state"]),
        lease_token=row["lease_token"],
        lease_expires_at=row["lease_expires_at"],
        response=response,
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )


def _values(record: IdempotencyRecord) -> dict[str, object]:
    response = record.response
    return {
        "fingerprint": record.fingerprint,
        "state": record.state.value,
        "lease_token": record.lease_token,
        "lease_expires_at": record.lease_expires_at,
        "response_status": None if response is None else response.status_code,
        "response_body": None if response is None else response.body,
        "order_id": None if response is None else response.order_id,
        "created_at": record.created_at,
        "expires_at": record.expires_at,
    }


def _is(customer_id: str, key: str) -> ColumnElement[bool]:
    return and_(keys.c.customer_id == customer_id, keys.c.key == key)


class IdempotencyRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(
        self, customer_id: str, key: str, *, for_update: bool = False
    ) -> IdempotencyRecord | None:
        query = select(keys).where(_is(customer_id, key))
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _record_from_row(row)

    async def insert(self, record: IdempotencyRecord) -> bool:
        """Insert a new claim; False when another request holds the key already.

        Two first requests with one key race on the primary key: the second
        insert waits for the first transaction and then finds its row.
        """
        inserted = await self._connection.execute(
            insert(keys)
            .values(customer_id=record.customer_id, key=record.key, **_values(record))
            .on_conflict_do_nothing(index_elements=[keys.c.customer_id, keys.c.key])
            .returning(keys.c.key)
        )
        return inserted.first() is not None

    async def replace(self, record: IdempotencyRecord) -> None:
        """Overwrite a record locked ``for_update`` (an expired key or a lapsed lease)."""
        await self._connection.execute(
            keys.update().where(_is(record.customer_id, record.key)).values(**_values(record))
        )

    async def get_leased(
        self, customer_id: str, key: str, lease_token: UUID
    ) -> IdempotencyRecord | None:
        """The record, locked, while it is in progress under our lease; else None."""
        query = (
            select(keys)
            .where(_is(customer_id, key))
            .where(keys.c.state == KeyState.IN_PROGRESS.value, keys.c.lease_token == lease_token)
            .with_for_update()
        )
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _record_from_row(row)

    async def release(self, customer_id: str, key: str, lease_token: UUID) -> None:
        """Drop our claim, so a retry can use the key; a completed key stays."""
        await self._connection.execute(
            delete(keys)
            .where(_is(customer_id, key))
            .where(keys.c.state == KeyState.IN_PROGRESS.value, keys.c.lease_token == lease_token)
        )

    async def purge_expired(self, *, now: datetime, limit: int) -> int:
        """Delete up to ``limit`` expired keys; a live lease is never cut short."""
        expired = (
            select(keys.c.customer_id, keys.c.key)
            .where(keys.c.expires_at <= now)
            .where(
                or_(
                    keys.c.state == KeyState.COMPLETED.value,
                    keys.c.lease_expires_at <= now,
                )
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        deleted = await self._connection.execute(
            delete(keys)
            .where(tuple_(keys.c.customer_id, keys.c.key).in_(expired.scalar_subquery()))
            .returning(keys.c.key)
        )
        return len(deleted.all())
