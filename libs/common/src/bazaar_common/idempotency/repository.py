"""Every query on idempotency keys, on the table ``add_idempotency_keys`` made."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Table, and_, delete, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.idempotency.rules import IdempotencyRecord, KeyState, StoredResponse


class IdempotencyRepository:
    def __init__(self, connection: AsyncConnection, keys: Table) -> None:
        self._connection = connection
        self._keys = keys
        self._has_resource = "resource_id" in keys.c

    async def get(
        self, caller: str, key: str, *, for_update: bool = False
    ) -> IdempotencyRecord | None:
        query = select(self._keys).where(self._is(caller, key))
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return None if row is None else self._record_from_row(row)

    async def insert(self, record: IdempotencyRecord) -> bool:
        """Insert a new claim; False when another request holds the key already.

        Two first requests with one key race on the primary key: the second
        insert waits for the first transaction and then finds its row.
        """
        keys = self._keys
        inserted = await self._connection.execute(
            insert(keys)
            .values(caller=record.caller, key=record.key, **self._values(record))
            .on_conflict_do_nothing(index_elements=[keys.c.caller, keys.c.key])
            .returning(keys.c.key)
        )
        return inserted.first() is not None

    async def replace(self, record: IdempotencyRecord) -> None:
        """Overwrite a record locked ``for_update`` (an expired key or a lapsed lease)."""
        await self._connection.execute(
            self._keys.update()
            .where(self._is(record.caller, record.key))
            .values(**self._values(record))
        )

    async def get_leased(
        self, caller: str, key: str, lease_token: UUID
    ) -> IdempotencyRecord | None:
        """The record, locked, while it is in progress under our lease; else None."""
        keys = self._keys
        query = (
            select(keys)
            .where(self._is(caller, key))
            .where(keys.c.state == KeyState.IN_PROGRESS.value, keys.c.lease_token == lease_token)
            .with_for_update()
        )
        row = (await self._connection.execute(query)).first()
        return None if row is None else self._record_from_row(row)

    async def release(self, caller: str, key: str, lease_token: UUID) -> None:
        """Drop our claim, so a retry can use the key; a completed key stays."""
        keys = self._keys
        await self._connection.execute(
            delete(keys)
            .where(self._is(caller, key))
            .where(keys.c.state == KeyState.IN_PROGRESS.value, keys.c.lease_token == lease_token)
        )

    async def purge_expired(self, *, now: datetime, limit: int) -> int:
        """Delete up to ``limit`` expired keys; a live lease is never cut short."""
        keys = self._keys
        expired = (
            select(keys.c.caller, keys.c.key)
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
            .where(tuple_(keys.c.caller, keys.c.key).in_(expired.scalar_subquery()))
            .returning(keys.c.key)
        )
        return len(deleted.all())

    def _is(self, caller: str, key: str) -> ColumnElement[bool]:
        return and_(self._keys.c.caller == caller, self._keys.c.key == key)

    def _record_from_row(self, row: Row[Any]) -> IdempotencyRecord:
        # By column, not by name: the caller's and the resource's columns are
        # named as each service's schema has them.
        c = self._keys.c
        values = row._mapping
        response = None
        if values[c.state] == KeyState.COMPLETED.value:
            response = StoredResponse(
                values[c.response_status],
                values[c.response_body],
                values[c.resource_id] if self._has_resource else None,
            )
        return IdempotencyRecord(
            caller=values[c.caller],
            key=values[c.key],
            fingerprint=values[c.fingerprint],
            state=KeyState(values[c.state]),
            lease_token=values[c.lease_token],
            lease_expires_at=values[c.lease_expires_at],
            response=response,
            created_at=values[c.created_at],
            expires_at=values[c.expires_at],
        )

    def _values(self, record: IdempotencyRecord) -> dict[str, object]:
        """By column key, which ``insert().values`` and ``update().values`` take."""
        response = record.response
        values: dict[str, object] = {
            "fingerprint": record.fingerprint,
            "state": record.state.value,
            "lease_token": record.lease_token,
            "lease_expires_at": record.lease_expires_at,
            "response_status": None if response is None else response.status_code,
            "response_body": None if response is None else response.body,
            "created_at": record.created_at,
            "expires_at": record.expires_at,
        }
        if self._has_resource:
            values["resource_id"] = None if response is None else response.resource_id
        return values
