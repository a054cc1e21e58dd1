"""Admins read the event store over HTTP: exact events, filters, pages."""

from __future__ import annotations

from datetime import timedelta, timezone
from uuid import uuid4

import pytest

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_an_empty_store_is_one_empty_page(api):
    assert await api.page() == {"items": [], "next_cursor": None}


async def test_an_event_reads_back_with_every_field(api, store, envelopes, db):
    order_id = uuid4()
    placed = envelopes("OrderPlaced", order_id)
    reserve = envelopes("ReserveStock", order_id, at=0.25, cause=placed, traceparent=TRACEPARENT)
    await store(placed, reserve)
    received_at = await db.scalar(
        "SELECT received_at FROM events WHERE event_id = :id", id=reserve.id
    )

    page = await api.page(type="ReserveStock")

    assert page == {
        "items": [
            {
                "id": str(reserve.id),
                "type": "ReserveStock",
                "source": "bazaar.orders",
                "subject": str(order_id),
                "version": 1,
                "time": "2026-12-01T10:00:00.250000Z",
                "received_at": received_at.isoformat().replace("+00:00", "Z"),
                "causation_id": str(placed.id),
                "traceparent": TRACEPARENT,
                "data": {"order_id": str(order_id), "lines": [{"sku": "MUG-1", "quantity": 2}]},
            }
        ],
        "next_cursor": None,
    }


async def test_pages_walk_every_event_once(api, store, envelopes):
    sent = [envelopes("StockCommitted", at=index // 3) for index in range(23)]  # ties by threes
    await store(*sent)
    in_order = [str(e.id) for e in sorted(sent, key=lambda e: (e.time, e.id))]
    for limit in (1, 5, 22, 23, 200):
        assert await api.all_ids(limit=limit) == in_order


async def test_the_default_page_holds_fifty(api, store, envelopes):
    await store(*(envelopes("OrderPlaced", at=index) for index in range(51)))
    first = await api.page()
    assert len(first["items"]) == 50
    rest = await api.page(cursor=first["next_cursor"])
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


@pytest.fixture
async def two_orders(store, envelopes):
    first, second = uuid4(), uuid4()
    sent = {
        "placed-1": envelopes("OrderPlaced", first, at=0),
        "placed-2": envelopes("OrderPlaced", second, at=1),
        "reserve-1": envelopes("ReserveStock", first, at=2),
        "reserve-2": envelopes("ReserveStock", second, at=3),
        "rejected-2": envelopes("StockRejected", second, at=4),
        "cancelled-2": envelopes("OrderCancelled", second, at=5),
    }
    await store(*sent.values())
    return first, second, {name: str(envelope.id) for name, envelope in sent.items()}


async def test_filters_combine(api, envelopes, two_orders):
    first, second, ids = two_orders
    iso = lambda seconds: envelopes.time(seconds).isoformat()  # noqa: E731

    assert await api.all_ids(subject=str(first)) == [ids["placed-1"], ids["reserve-1"]]
    assert await api.all_ids(type="ReserveStock") == [ids["reserve-1"], ids["reserve-2"]]
    assert await api.all_ids(subject=str(second), type="ReserveStock") == [ids["reserve-2"]]
    assert await api.all_ids(since=iso(1), until=iso(4)) == [
        ids["placed-2"],
        ids["reserve-1"],
        ids["reserve-2"],
    ]
    assert await api.all_ids(subject=str(second), since=iso(3), limit=1) == [
        ids["reserve-2"],
        ids["rejected-2"],
        ids["cancelled-2"],
    ]
    assert await api.all_ids(type="PaymentCaptured") == []
    assert await api.all_ids(since=iso(2), until=iso(2)) == []


async def test_times_in_any_offset_mean_the_same_instant(api, envelopes, two_orders):
    _, _, ids = two_orders
    in_utc = envelopes.time(3)
    in_tokyo = in_utc.astimezone(timezone(timedelta(hours=9))).isoformat()
    assert await api.all_ids(since=in_tokyo) == [
        ids["reserve-2"],
        ids["rejected-2"],
        ids["cancelled-2"],
    ]
    assert await api.all_ids(since=in_utc.isoformat().replace("+00:00", "Z"), limit=2) == [
        ids["reserve-2"],
        ids["rejected-2"],
        ids["cancelled-2"],
    ]


async def test_a_subject_is_matched_exactly(api, two_orders):
    first, _, _ = two_orders
    assert await api.all_ids(subject=str(first).upper()) == []
    assert await api.all_ids(subject=str(first)[:-1]) == []
    assert await api.all_ids(subject="'; DELETE FROM events; --") == []
    assert len(await api.all_ids()) == 6
