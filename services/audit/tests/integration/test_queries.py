"""Reads of the store: filters that combine, and pages that walk every match once."""

from __future__ import annotations

from uuid import uuid4

import pytest

from bazaar_audit.domain.errors import InvalidTimeRange, TimelineNotFound
from bazaar_audit.domain.model import EventFilter
from bazaar_audit.service_layer import queries

SAGA = ["OrderPlaced", "ReserveStock", "StockReserved", "CapturePayment", "PaymentCaptured"]


@pytest.fixture
async def stored(store, envelopes):
    """Three orders' sagas interleaved in time, with many events sharing a timestamp."""
    orders = [uuid4() for _ in range(3)]
    sent = []
    for step, event_type in enumerate(SAGA):
        for number, order_id in enumerate(orders):
            # Half-second steps, and the first two orders always tie.
            sent.append(envelopes(event_type, order_id, at=step + (number // 2) * 0.5))
    await store(*reversed(sent))  # stored out of order: the reads must sort
    return orders, sent


async def walk(new_uow, event_filter, limit):
    """Every page of a query, checking each is full but the last."""
    events, after, pages = [], None, 0
    while True:
        page = await queries.events_page(new_uow(), event_filter, after=after, limit=limit)
        pages += 1
        events.extend(page.events)
        if page.next_position is None:
            assert len(page.events) <= limit
            return events, pages
        assert len(page.events) == limit
        after = page.next_position


def expected(sent, *, subject=None, event_type=None, since=None, until=None):
    """The ids a query must return, worked out in Python."""
    matching = [
        envelope
        for envelope in sent
        if (subject is None or envelope.subject == subject)
        and (event_type is None or envelope.type == event_type)
        and (since is None or envelope.time >= since)
        and (until is None or envelope.time < until)
    ]
    return [envelope.id for envelope in sorted(matching, key=lambda e: (e.time, e.id))]


@pytest.mark.parametrize("limit", [1, 2, 4, 7, 15, 16, 200])
async def test_pages_walk_every_event_once_in_time_then_id_order(new_uow, stored, limit):
    _, sent = stored
    events, pages = await walk(new_uow, EventFilter(), limit)
    assert [event.id for event in events] == expected(sent)
    # One row read ahead: a walk never ends with an empty page.
    assert pages == -(-len(sent) // limit)


@pytest.mark.parametrize("limit", [1, 3, 50])
async def test_filters_combine_and_paginate(new_uow, stored, envelopes, limit):
    orders, sent = stored
    cases = [
        {"subject": str(orders[0])},
        {"event_type": "StockReserved"},
        {"since": envelopes.time(1), "until": envelopes.time(3)},
        {"since": envelopes.time(1.5)},
        {"until": envelopes.time(0.5)},
        {"subject": str(orders[2]), "since": envelopes.time(2)},
        {"subject": str(orders[1]), "event_type": "CapturePayment", "until": envelopes.time(4)},
        {"subject": "no such subject"},
        {"since": envelopes.time(2), "until": envelopes.time(2)},  # empty, not an error
    ]
    for case in cases:
        event_filter = EventFilter(
            subject=case.get("subject"),
            type=case.get("event_type"),
            since=case.get("since"),
            until=case.get("until"),
        )
        events, _ = await walk(new_uow, event_filter, limit)
        assert [event.id for event in events] == expected(sent, **case), case


async def test_since_is_inclusive_and_until_exclusive(new_uow, stored, envelopes):
    _, sent = stored
    at_two = {envelope.id for envelope in sent if envelope.time == envelopes.time(2)}
    assert at_two
    starting = await queries.events_page(
        new_uow(), EventFilter(since=envelopes.time(2)), after=None, limit=200
    )
    ending = await queries.events_page(
        new_uow(), EventFilter(until=envelopes.time(2)), after=None, limit=200
    )
    assert at_two <= {event.id for event in starting.events}
    assert not at_two & {event.id for event in ending.events}


def test_a_range_that_ends_before_it_starts_is_refused(envelopes):
    with pytest.raises(InvalidTimeRange):
        EventFilter(since=envelopes.time(2), until=envelopes.time(1))


async def test_events_stored_while_paging_are_neither_repeated_nor_skip_others(
    new_uow, store, envelopes
):
    await store(*(envelopes("OrderPlaced", at=at) for at in (1, 3, 5)))
    first = await queries.events_page(new_uow(), EventFilter(), after=None, limit=2)
    await store(*(envelopes("OrderPlaced", at=at) for at in (0, 2, 4)))
    rest = await queries.events_page(new_uow(), EventFilter(), after=first.next_position, limit=9)
    assert [event.time for event in first.events] == [envelopes.time(1), envelopes.time(3)]
    assert [event.time for event in rest.events] == [envelopes.time(4), envelopes.time(5)]


async def test_a_timeline_holds_only_its_order_and_says_when_it_is_cut(new_uow, stored):
    orders, _ = stored
    timeline = await queries.order_timeline(new_uow(), orders[1])
    assert [event.subject for event in timeline.events] == [str(orders[1])] * len(SAGA)
    assert timeline.truncated is False
    cut = await queries.order_timeline(new_uow(), orders[1], max_events=3)
    assert (len(cut.events), cut.truncated) == (3, True)
    assert [event.type for event in cut.events] == SAGA[:3]


async def test_an_order_without_events_has_no_timeline(new_uow, stored):
    with pytest.raises(TimelineNotFound):
        await queries.order_timeline(new_uow(), uuid4())
