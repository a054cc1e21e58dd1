"""``deliver`` runs the consumer's own handling: once in effect, all or nothing, poison refused."""

from __future__ import annotations

import pytest

from bazaar_common.messaging.events import UnknownEventType
from bazaar_common.testing.database import RawDatabase


@pytest.fixture
def db(app, service_tables):
    return RawDatabase(app.state.engine, service_tables)


async def test_the_same_envelope_twice_has_one_effect_and_one_inbox_row(deliver, packed, db):
    envelope = await deliver(packed())
    await deliver(envelope)  # the same message, delivered again

    assert await db.count("effects") == 1
    assert await db.rows("SELECT consumer, event_id, event_type FROM inbox") == [
        {"consumer": "parcels", "event_id": envelope.id, "event_type": "ParcelPacked"}
    ]
    assert await deliver.handled(envelope) is False


async def test_the_same_event_sent_twice_is_two_events(deliver, packed, db):
    first = await deliver(packed())
    second = await deliver(packed())  # the sender sent it again: another envelope

    assert first.id != second.id
    assert await db.count("effects") == 2
    assert await db.count("inbox") == 2


async def test_a_handler_that_fails_rolls_back_its_writes_and_the_inbox_row(deliver, packed, db):
    with pytest.raises(RuntimeError, match="fails after writing"):
        await deliver(packed("broken"))

    assert await db.count("effects") == 0
    assert await db.count("inbox") == 0


async def test_the_handler_runs_with_the_envelope_as_the_cause(deliver, packed, db):
    envelope = await deliver(packed())

    assert await db.scalar("SELECT cause FROM effects") == envelope.id


async def test_the_source_is_the_declared_sender_unless_given(deliver, packed):
    assert (await deliver(packed())).source == "bazaar.packing"
    assert (await deliver(packed(), source="bazaar.returns")).source == "bazaar.returns"


async def test_an_event_without_a_handler_is_poison_and_changes_nothing(deliver, lost, db):
    with pytest.raises(UnknownEventType):
        await deliver(lost)

    assert await db.count("inbox") == 0


async def test_another_unit_of_work_factory_is_used_for_that_delivery(deliver, packed, new_uow):
    made = []

    def counting():
        made.append(new_uow())
        return made[-1]

    await deliver(packed(), uow_factory=counting)

    assert len(made) == 1
