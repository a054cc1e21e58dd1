"""What the relay puts on the bus: committed events, to their subscribers, once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from bazaar_common.messaging.envelope import Envelope


class RefusingOnFirstCall:
    """Wraps the real publisher; its first call refuses the chosen entries.

    What a partly failed ``PutEvents`` answers, without touching botocore.
    """

    def __init__(self, inner, refused):
        self.inner = inner
        self.refused = set(refused)
        self.calls = []

    async def publish(self, envelopes):
        self.calls.append([envelope.id for envelope in envelopes])
        if len(self.calls) > 1:
            return await self.inner.publish(envelopes)
        passed = [envelope for envelope in envelopes if envelope.id not in self.refused]
        answers = iter(await self.inner.publish(passed))
        return [
            "InternalFailure: injected" if envelope.id in self.refused else next(answers)
            for envelope in envelopes
        ]


def envelope_ids(bodies):
    return Counter(Envelope.model_validate(body["detail"]).id for body in bodies)


async def test_a_committed_event_reaches_every_subscribed_queue_and_no_other(
    bus, publisher, relays, write_notes, receive_all, outbox_rows
):
    [envelope] = await write_notes()

    assert await relays.make(publisher).publish_pending() == 1

    for service in ("alpha", "beta"):
        [body] = await receive_all(bus.queues[service])
        assert body["detail-type"] == "NoteAdded"
        assert body["source"] == "bazaar.notes"
        assert Envelope.model_validate(body["detail"]) == envelope
    assert await receive_all(bus.queues["gamma"]) == []
    [row] = await outbox_rows()
    assert row["published_at"] is not None
    assert (row["attempts"], row["last_error"]) == (0, None)


async def test_a_rolled_back_event_is_never_published(
    db, bus, publisher, relays, write_notes, receive_all, outbox_rows
):
    await write_notes(3, commit=False)

    assert await relays.make(publisher).publish_pending() == 0

    assert await outbox_rows() == []
    async with db.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(db.notes)) == 0
    for queue_url in bus.queues.values():
        assert await receive_all(queue_url) == []


async def test_only_the_refused_entries_are_sent_again(
    bus, publisher, relays, write_notes, receive_all, outbox_rows
):
    envelopes = await write_notes(5)
    refused = [envelopes[1].id, envelopes[3].id]
    flaky = RefusingOnFirstCall(publisher, refused)
    relay = relays.make(flaky)

    assert await relay.publish_pending() == 3
    for row in await outbox_rows():
        if row["id"] in refused:
            assert row["published_at"] is None
            assert (row["attempts"], row["last_error"]) == (1, "InternalFailure: injected")
        else:
            assert row["published_at"] is not None
            assert (row["attempts"], row["last_error"]) == (0, None)

    assert await relay.publish_pending() == 2
    assert flaky.calls[1] == refused
    assert await relay.publish_pending() == 0
    assert len(flaky.calls) == 2  # nothing left: no call at all

    rows = await outbox_rows()
    assert all(row["published_at"] is not None for row in rows)
    assert [row["attempts"] for row in rows] == [0, 1, 0, 1, 0]
    for service in ("alpha", "beta"):
        bodies = await receive_all(bus.queues[service])
        assert envelope_ids(bodies) == Counter(envelope.id for envelope in envelopes)


async def test_a_row_that_is_not_an_envelope_is_refused_and_the_rest_published(
    db, publisher, relays, write_notes, outbox_rows
):
    [good, bad] = await write_notes(2)
    async with db.engine.begin() as connection:
        await connection.execute(
            db.outbox.update().where(db.outbox.c.id == bad.id).values(envelope={"id": "x"})
        )

    assert await relays.make(publisher).publish_pending() == 1

    rows = {row["id"]: row for row in await outbox_rows()}
    assert rows[good.id]["published_at"] is not None
    assert rows[bad.id]["published_at"] is None
    assert rows[bad.id]["attempts"] == 1
    assert rows[bad.id]["last_error"].startswith("InvalidEnvelope:")
