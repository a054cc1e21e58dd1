"""Events off the bus are stored as they arrived, once, with the consumer's inbox row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from bazaar_audit.adapters.event_store import EventStore
from bazaar_audit.service_layer.recording import record_event
from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork
from bazaar_common.messaging.envelope import Envelope
from bazaar_contracts import ALL_EVENTS

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class StoreThatDiesAfterWriting(EventStore):
    async def append(self, envelope: Envelope) -> bool:
        await super().append(envelope)
        raise RuntimeError("crash before the consumer commits")


class DyingUnitOfWork(AuditUnitOfWork):
    """The event is written, then the process dies before the consumer's commit."""

    def bind_repositories(self, connection) -> None:
        self.events = StoreThatDiesAfterWriting(connection)


async def test_the_handler_stores_the_envelope_as_received(deliver, db, envelopes):
    order_id = uuid4()
    placed = envelopes("OrderPlaced", order_id)
    # Written in another offset than UTC: the column holds the instant, the
    # envelope column the text as it came.
    at = datetime(2026, 12, 1, 12, 0, 1, 250_000, tzinfo=timezone(timedelta(hours=2)))
    reserve = envelopes("ReserveStock", order_id, at=at, cause=placed, traceparent=TRACEPARENT)
    before = datetime.now(UTC)

    await deliver(reserve)

    (row,) = await db.event_rows()
    assert row["envelope"] == reserve.model_dump(mode="json")
    assert row["envelope"]["time"] == "2026-12-01T12:00:01.250000+02:00"
    assert {key: row[key] for key in row if key not in ("envelope", "received_at")} == {
        "event_id": reserve.id,
        "type": "ReserveStock",
        "source": "bazaar.orders",
        "subject": str(order_id),
        "version": 1,
        "occurred_at": at,
        "causation_id": placed.id,
        "traceparent": TRACEPARENT,
    }
    assert before - timedelta(seconds=1) <= row["received_at"] <= datetime.now(UTC)


async def test_every_event_type_has_a_handler_that_stores_it(deliver, db, envelopes):
    order_id = uuid4()
    sent = [envelopes(name, order_id, at=index) for index, name in enumerate(envelopes.types)]
    for envelope in sent:
        await deliver(envelope)
    rows = await db.event_rows()
    assert [row["event_id"] for row in rows] == [envelope.id for envelope in sent]
    assert {row["type"] for row in rows} == {cls.event_type for cls in ALL_EVENTS}


async def test_a_duplicate_delivery_stores_once(deliver, db, envelopes):
    envelope = envelopes("StockReserved")
    await deliver(envelope)
    await deliver(envelope)  # the inbox skips it
    assert await db.count("events") == 1
    assert await db.count("inbox") == 1


async def test_the_primary_key_stores_once_even_past_the_inbox(new_uow, db, envelopes):
    first = envelopes("PaymentDeclined")
    # Same id, different content: the first version stands and is never overwritten.
    forged = first.model_copy(update={"data": {**first.data, "reason": "payment-voided"}})
    assert await record_event(new_uow(), first) is True
    assert await record_event(new_uow(), forged) is False
    assert await record_event(new_uow(), first) is False
    (row,) = await db.event_rows()
    assert row["envelope"]["data"]["reason"] == "card-declined"


async def test_the_event_and_the_inbox_row_commit_together_or_not_at_all(
    app, deliver, db, envelopes
):
    envelope = envelopes("OrderConfirmed")
    with pytest.raises(RuntimeError, match="crash"):
        await deliver(envelope, uow_factory=lambda: DyingUnitOfWork(app.state.engine))
    assert await db.count("events") == 0
    assert await db.count("inbox") == 0
    await deliver(envelope)  # the redelivery then stores it
    assert await db.count("events") == 1
