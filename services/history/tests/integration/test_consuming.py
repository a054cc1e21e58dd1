"""Each consumed event is merged into its order's row: once, in any order, at its own time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import reduce
from itertools import permutations
from uuid import UUID, uuid4

import pytest

from bazaar_history.domain.facts import CONSUMED, fact_of
from bazaar_history.domain.model import OrderHistory

T0 = datetime(2030, 1, 1, 12, 0, 0, 123_456, tzinfo=UTC)
FLOWS = ["confirmed", "declined", "out_of_stock", "refunded", "voided"]


IDS = ("order_id", "payment_id", "shipment_id")


def without_ids(row: dict) -> dict:
    """The row but its ids: each story's payment and shipment ids derive from its order's."""
    return {column: value for column, value in row.items() if column not in IDS}


@pytest.mark.parametrize("event_class", CONSUMED, ids=lambda cls: cls.event_type)
async def test_any_event_of_an_order_makes_its_row_at_the_event_s_time(
    deliver, db, stories, event_class
):
    event = event_class.example(uuid4())

    envelope = await deliver(stories.envelope(event, T0))

    (row,) = await db.order_rows()
    assert (row["order_id"], row["first_event_at"]) == (UUID(envelope.subject), T0)
    assert row["customer_id"] == getattr(event, "customer_id", None)
    assert await db.count("outbox") == 0  # a read model publishes nothing


@pytest.mark.parametrize("event_class", CONSUMED, ids=lambda cls: cls.event_type)
async def test_the_same_envelope_twice_has_one_effect(deliver, db, stories, event_class):
    envelope = await deliver(stories.envelope(event_class.example(uuid4()), T0))
    before = await db.order_rows()

    assert await deliver.handled(envelope) is False  # the inbox had it

    assert await db.order_rows() == before


@pytest.mark.parametrize("flow", FLOWS)
async def test_every_arrival_order_writes_the_same_row(deliver, db, stories, flow):
    """The merge, through the tables: each order of the events on an order of its own."""
    rows = []
    for arrival in permutations(range(len(getattr(stories, flow)(uuid4(), "c-1", T0)))):
        order_id = uuid4()
        envelopes = stories.envelopes(getattr(stories, flow)(order_id, "c-1", T0))
        for index in arrival:
            await deliver(envelopes[index])
        (row,) = await db.rows("SELECT * FROM order_history WHERE order_id = :id", id=order_id)
        rows.append(without_ids(row))

    assert all(row == rows[0] for row in rows)
    assert rows[0]["placed_at"] == rows[0]["first_event_at"] == T0


async def test_events_of_one_order_handled_at_once_merge_without_loss(deliver, db, stories):
    """Two first events insert one row; each merge waits for the one before (a row lock)."""
    at_once, one_by_one = uuid4(), uuid4()

    await asyncio.gather(
        *(deliver(e) for e in stories.envelopes(stories.refunded(at_once, "c-1", T0)))
    )
    for envelope in stories.envelopes(stories.refunded(one_by_one, "c-1", T0)):
        await deliver(envelope)

    rows = {row["order_id"]: without_ids(row) for row in await db.order_rows()}
    assert rows[at_once] == rows[one_by_one]
    assert rows[at_once]["payment_state"] == "refunded"


async def test_an_event_sent_again_under_a_new_envelope_moves_no_time(deliver, db, stories):
    """A publisher may send an event again (a new id, a later time): the row keeps the first."""
    order_id = uuid4()
    placed = stories.placed(order_id, "c-1")

    await deliver(stories.envelope(placed, T0))
    await deliver(stories.envelope(placed, T0 + timedelta(minutes=5)))

    (row,) = await db.order_rows()
    assert row["placed_at"] == row["first_event_at"] == T0


async def test_the_row_holds_the_lines_as_the_placement_listed_them(tell, db, stories):
    order_id = uuid4()

    await tell(stories.confirmed(order_id, "c-1", T0))

    (row,) = await db.order_rows()
    assert row["lines"] == [line.model_dump() for line in stories.LINES]
    assert (row["state"], row["payment_state"], row["shipment_id"]) == (
        "CONFIRMED",
        "captured",
        stories.shipment_id(order_id),
    )


@pytest.mark.parametrize("flow", FLOWS)
async def test_a_row_reads_back_as_the_merge_of_its_facts(tell, new_uow, stories, flow):
    order_id = uuid4()
    story = getattr(stories, flow)(order_id, "c-1", T0)
    await tell(story)

    uow = new_uow()
    async with uow.reading():
        found = await uow.orders.get(order_id)

    facts = [fact_of(event, at) for event, at in story]
    assert found == reduce(OrderHistory.merge, facts[1:], facts[0])
