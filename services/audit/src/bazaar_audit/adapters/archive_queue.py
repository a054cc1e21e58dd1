"""The archive writer's queue: stored events not yet archived, claimed batch by batch."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_audit.adapters.tables import archive_pending, events
from bazaar_common.archive import layout
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.messaging.envelope import Envelope


class ArchiveQueue:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, event_id: UUID) -> None:
        await self._connection.execute(
            insert(archive_pending).values(event_id=event_id).on_conflict_do_nothing()
        )

    async def claim(self, max_events: int) -> list[str]:
        """Fix the next batches: up to ``max_events`` unclaimed events, one batch per partition.

        Each batch's key names its partition (the day and type of its events)
        and its first event in (time, id) order, which is in no other batch.
        Rows another writer holds are skipped, so two writers claim apart.
        """
        rows = (
            await self._connection.execute(
                select(archive_pending.c.event_id, events.c.type, events.c.occurred_at)
                .join(events, events.c.event_id == archive_pending.c.event_id)
                .where(archive_pending.c.batch_key.is_(None))
                .order_by(archive_pending.c.event_id)
                .limit(max_events)
                .with_for_update(of=archive_pending, skip_locked=True)
            )
        ).all()
        partitions: defaultdict[tuple[date, str], list[tuple[object, UUID]]] = defaultdict(list)
        for event_id, event_type, occurred_at in rows:
            partitions[(layout.day_of(occurred_at), event_type)].append((occurred_at, event_id))
        keys = []
        for (day, event_type), members in sorted(partitions.items()):
            members.sort(key=lambda member: (member[0], str(member[1])))
            key = layout.batch_key(day, event_type, members[0][1])
            await self._connection.execute(
                update(archive_pending)
                .where(archive_pending.c.event_id.in_([event_id for _, event_id in members]))
                .values(batch_key=key)
            )
            keys.append(key)
        return keys

    async def claimed(self) -> list[str]:
        """Batches claimed and not yet written: a writer stopped between the two."""
        query = (
            select(archive_pending.c.batch_key)
            .where(archive_pending.c.batch_key.is_not(None))
            .distinct()
            .order_by(archive_pending.c.batch_key)
        )
        return list((await self._connection.execute(query)).scalars())

    async def batch(self, key: str) -> list[ArchivedEvent]:
        rows = await self._connection.execute(
            select(events.c.envelope, events.c.received_at)
            .join(archive_pending, events.c.event_id == archive_pending.c.event_id)
            .where(archive_pending.c.batch_key == key)
        )
        return [
            ArchivedEvent(Envelope.model_validate(envelope), received_at)
            for envelope, received_at in rows
        ]

    async def oldest(self) -> datetime | None:
        """When the longest-waiting queued event was stored; None when the queue is empty."""
        query = select(func.min(events.c.received_at)).select_from(
            archive_pending.join(events, events.c.event_id == archive_pending.c.event_id)
        )
        oldest: datetime | None = (await self._connection.execute(query)).scalar_one()
        return oldest

    async def remove(self, key: str) -> None:
        """The batch is written: its events leave the queue."""
        await self._connection.execute(
            delete(archive_pending).where(archive_pending.c.batch_key == key)
        )
