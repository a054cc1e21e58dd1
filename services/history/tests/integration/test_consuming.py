"""Each consumed event makes one record, once, whatever the redeliveries."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_common.messaging.events import Event
from bazaar_contracts.orders import OrderCancelled, OrderConfirmed, OrderPlaced
from bazaar_contracts.payments import PaymentCaptured, PaymentDeclined, PaymentRefunded
from bazaar_contracts.shipping import ShipmentCreated
from bazaar_history.domain.model import Origin
from bazaar_history.service_layer import records

# Each consumed type, and its source: its publisher.
SOURCES: dict[type[Event], str] = {
    OrderPlaced: "bazaar.orders",
    OrderConfirmed: "bazaar.orders",
    OrderCancelled: "bazaar.orders",
    PaymentCaptured: "bazaar.payments",
    PaymentDeclined: "bazaar.payments",
    PaymentRefunded: "bazaar.payments",
    ShipmentCreated: "bazaar.shipping",
}


@pytest.mark.parametrize("event_class", list(SOURCES), ids=lambda cls: cls.event_type)
async def test_an_event_makes_one_record_and_publishes_it(deliver, db, event_class):
    event = event_class.example(uuid4())

    envelope = await deliver(event, source=SOURCES[event_class])

    (row,) = await db.rows("SELECT * FROM history_records")
    assert (row["source_event_id"], row["source_subject"]) == (envelope.id, event.subject)
    assert row["customer_id"] == getattr(event, "customer_id", None)
    assert await db.outbox_types() == ["HistoryCreated"]


@pytest.mark.parametrize("event_class", list(SOURCES), ids=lambda cls: cls.event_type)
async def test_the_same_envelope_twice_has_one_effect(deliver, db, event_class):
    envelope = await deliver(event_class.example(uuid4()), source=SOURCES[event_class])

    assert await deliver.handled(envelope) is False  # the inbox had it

    assert await db.count("history_records") == 1
    assert await db.count("outbox") == 1


async def test_an_event_the_inbox_lost_still_makes_no_second_record(new_uow, db):
    origin = Origin(uuid4(), "subject-1")

    assert await records.record_event(new_uow(), origin, None) is True
    assert await records.record_event(new_uow(), origin, None) is False

    assert await db.count("history_records") == 1
    assert await db.count("outbox") == 1
