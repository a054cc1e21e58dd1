"""The event store refuses to rewrite history, whoever asks."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text

STATEMENTS = [
    "UPDATE events SET subject = 'rewritten'",
    "UPDATE events SET envelope = '{}'::jsonb WHERE event_id = :event_id",
    "UPDATE events SET subject = subject WHERE false",  # touching no row is refused too
    "DELETE FROM events WHERE event_id = :event_id",
    "DELETE FROM events",
    # An upsert is an update in disguise.
    "INSERT INTO events (event_id, type, source, subject, version, occurred_at, envelope) "
    "SELECT event_id, type, source, 'rewritten', version, occurred_at, envelope FROM events "
    "ON CONFLICT (event_id) DO UPDATE SET subject = excluded.subject",
]


@pytest.mark.parametrize("statement", STATEMENTS)
async def test_update_and_delete_are_refused(store, db, envelopes, statement):
    envelope = envelopes("OrderPlaced")
    await store(envelope)
    before = await db.event_rows()

    with pytest.raises(exc.DBAPIError, match="events is append-only") as refused:
        async with db.engine.begin() as connection:
            await connection.execute(text(statement), {"event_id": envelope.id})

    assert getattr(refused.value.orig, "sqlstate", None) == "23001"
    assert await db.event_rows() == before


async def test_truncate_stays_possible_for_tests(store, db, envelopes):
    await store(envelopes("OrderPlaced"), envelopes("OrderCancelled"))
    async with db.engine.begin() as connection:
        await connection.execute(text("TRUNCATE events"))
    assert await db.count("events") == 0
