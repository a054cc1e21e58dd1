"""An order's timeline over HTTP: its events, each after its cause, whatever the clocks say."""

from __future__ import annotations

from uuid import uuid4


async def test_a_timeline_follows_causes_where_clocks_disagree(api, store, envelopes):
    order_id = uuid4()
    # Orders' clock runs ahead of inventory's and payments': replies look older.
    placed = envelopes("OrderPlaced", order_id, at=0.000)
    reserve = envelopes("ReserveStock", order_id, at=0.001, cause=None)
    reserved = envelopes("StockReserved", order_id, at=0.0005, cause=reserve)
    capture = envelopes("CapturePayment", order_id, at=0.010, cause=reserved)
    captured = envelopes("PaymentCaptured", order_id, at=0.008, cause=capture)
    commit = envelopes("CommitStock", order_id, at=0.020, cause=captured)
    confirmed = envelopes("OrderConfirmed", order_id, at=0.020, cause=captured)
    committed = envelopes("StockCommitted", order_id, at=0.015, cause=commit)
    other_order = envelopes("OrderPlaced", uuid4(), at=0.005)
    everything = [placed, reserve, reserved, capture, captured, commit, confirmed, committed]
    await store(other_order, *reversed(everything))

    timeline = await api.timeline(order_id)

    assert timeline["order_id"] == str(order_id)
    assert timeline["truncated"] is False
    types = [event["type"] for event in timeline["events"]]
    assert types[:5] == [
        "OrderPlaced",
        "ReserveStock",
        "StockReserved",
        "CapturePayment",
        "PaymentCaptured",
    ]
    # CommitStock and OrderConfirmed tie on time; StockCommitted must follow CommitStock.
    assert sorted(types[5:]) == ["CommitStock", "OrderConfirmed", "StockCommitted"]
    assert types.index("StockCommitted") > types.index("CommitStock")
    position = {event["id"]: index for index, event in enumerate(timeline["events"])}
    for event in timeline["events"]:
        if event["causation_id"] is not None:
            assert position[event["causation_id"]] < position[event["id"]]


async def test_the_timeline_serves_events_in_full(api, store, envelopes):
    order_id = uuid4()
    placed = envelopes("OrderPlaced", order_id)
    await store(placed)
    (event,) = (await api.timeline(order_id))["events"]
    assert event["id"] == str(placed.id)
    assert event["data"] == placed.data
    assert set(event) == {
        "id",
        "type",
        "source",
        "subject",
        "version",
        "time",
        "received_at",
        "causation_id",
        "traceparent",
        "data",
    }


async def test_an_order_with_no_events_is_404(client, admin, store, envelopes, expect_problem):
    await store(envelopes("OrderPlaced"))
    missing = uuid4()
    response = await client.get(f"/audit/orders/{missing}/timeline", headers=admin)
    problem = expect_problem(response, 404, "timeline-not-found")
    assert problem["order_id"] == str(missing)


async def test_an_order_id_in_capitals_is_the_same_order(api, store, envelopes):
    order_id = uuid4()
    await store(envelopes("OrderPlaced", order_id))
    assert len((await api.timeline(str(order_id).upper()))["events"]) == 1
