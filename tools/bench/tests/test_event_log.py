"""The event log generator writes what the services write: envelopes, contracts, causes."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from uuid import UUID

import pytest

from bazaar_bench.event_log import COLUMNS, ORDERS_PER_DAY, EventLog, LogEvent, iso
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import EventRegistry
from bazaar_contracts import ALL_EVENTS

# Each order's event types, by the saga's path (bazaar_orders' Order, the
# participants' replies, shipping's reaction to OrderConfirmed).
PATHS = {
    "confirmed": Counter(
        [
            "OrderPlaced",
            "ReserveStock",
            "StockReserved",
            "CapturePayment",
            "PaymentCaptured",
            "CommitStock",
            "OrderConfirmed",
            "StockCommitted",
            "ShipmentCreated",
        ]
    ),
    "stock rejected": Counter(["OrderPlaced", "ReserveStock", "StockRejected", "OrderCancelled"]),
    "payment declined": Counter(
        [
            "OrderPlaced",
            "ReserveStock",
            "StockReserved",
            "CapturePayment",
            "PaymentDeclined",
            "ReleaseStock",
            "OrderCancelled",
            "StockReleased",
        ]
    ),
    "cancelled while paying": Counter(
        [
            "OrderPlaced",
            "ReserveStock",
            "StockReserved",
            "CapturePayment",
            "PaymentCaptured",
            "RefundPayment",
            "ReleaseStock",
            "OrderCancelled",
            "RefundPayment",
            "StockReleased",
            "PaymentRefunded",
        ]
    ),
}
# Which event each type is written in reply to (None: a request, or the same
# transaction as the order's placement); RefundPayment has either.
CAUSES: dict[str, set[str | None]] = {
    "OrderPlaced": {None},
    "ReserveStock": {None},
    "StockReserved": {"ReserveStock"},
    "StockRejected": {"ReserveStock"},
    "CapturePayment": {"StockReserved"},
    "PaymentCaptured": {"CapturePayment"},
    "PaymentDeclined": {"CapturePayment"},
    "CommitStock": {"PaymentCaptured"},
    "OrderConfirmed": {"PaymentCaptured"},
    "StockCommitted": {"CommitStock"},
    "ShipmentCreated": {"OrderConfirmed"},
    "ReleaseStock": {"PaymentDeclined", None},
    "OrderCancelled": {"StockRejected", "PaymentDeclined", None},
    "StockReleased": {"ReleaseStock"},
    "RefundPayment": {"PaymentCaptured", None},
    "PaymentRefunded": {"RefundPayment"},
}


@pytest.fixture(scope="module")
def events() -> list[LogEvent]:
    return list(EventLog(seed=7).events(20_000))


def orders_of(events: list[LogEvent]) -> dict[str, list[LogEvent]]:
    orders: dict[str, list[LogEvent]] = defaultdict(list)
    for event in events:
        orders[event.subject].append(event)
    return orders


def test_every_event_is_the_envelope_the_outbox_writes(events: list[LogEvent]) -> None:
    for event in events[:3_000]:
        envelope = Envelope.model_validate(event.envelope())
        assert envelope.model_dump(mode="json") == event.envelope()
        assert envelope.source in {
            "bazaar.orders",
            "bazaar.inventory",
            "bazaar.payments",
            "bazaar.shipping",
        }
        assert envelope.traceparent is not None


def test_every_event_data_is_valid_for_its_contract(events: list[LogEvent]) -> None:
    registry = EventRegistry(ALL_EVENTS)
    seen = set()
    for event in events:
        parsed = registry.parse(Envelope.model_validate(event.envelope()))
        assert parsed.subject == event.subject
        seen.add(event.type)
    assert seen == set(CAUSES)


def test_ids_are_uuid7_made_at_their_event_time(events: list[LogEvent]) -> None:
    for event in events[:3_000]:
        uuid = UUID(event.id)
        assert uuid.version == 7
        assert uuid.int >> 80 == event.time_us // 1000
        assert UUID(event.subject).version == 7


def test_each_order_follows_a_path_of_the_saga_with_its_causes_before_it(
    events: list[LogEvent],
) -> None:
    orders = orders_of(events)
    *complete, _ = sorted(orders.values(), key=lambda order: min(e.time_us for e in order))
    paths: Counter[str] = Counter()
    for order in complete[:-5]:  # the last few may still be under way
        by_id = {event.id: event for event in order}
        (path,) = [name for name, types in PATHS.items() if types == Counter(e.type for e in order)]
        paths[path] += 1
        assert len({event.traceparent.split("-")[1] for event in order}) == 1
        for event in order:
            cause = by_id.get(event.causation_id) if event.causation_id else None
            assert event.causation_id is None or cause is not None, "a cause of another order"
            assert (cause.type if cause else None) in CAUSES[event.type]
            if cause is not None:
                assert cause.time_us < event.time_us
    total = sum(paths.values())
    assert paths["confirmed"] / total > 0.85
    assert all(paths[name] for name in PATHS)


def test_events_come_in_the_order_audit_receives_them_each_after_its_time(
    events: list[LogEvent],
) -> None:
    received = [event.received_us for event in events]
    assert received == sorted(received)
    assert all(event.received_us > event.time_us for event in events)


def test_orders_arrive_at_the_daily_rate_over_the_days() -> None:
    log = EventLog(seed=1, orders_per_day=200)
    events = list(log.events(20_000))
    days = (events[-1].time_us - events[0].time_us) / 86_400e6
    assert 200 * 0.8 < log.orders / days < 200 * 1.2
    assert days > 10
    assert ORDERS_PER_DAY * 182 * 8 < 10**7 < ORDERS_PER_DAY * 182 * 10, "10^7 is about 6 months"


def test_a_log_grown_in_steps_is_the_log_grown_at_once() -> None:
    stepped, whole = EventLog(seed=3), EventLog(seed=3)
    steps = [*stepped.events(700), *stepped.events(1), *stepped.events(1_299)]
    at_once = list(whole.events(2_000))

    def shape(event: LogEvent) -> tuple[str, int, int, str]:
        return (event.type, event.time_us, event.received_us, event.traceparent)

    assert [shape(event) for event in steps] == [shape(event) for event in at_once]


def test_a_copy_line_is_the_row_audit_stores_in_column_order(events: list[LogEvent]) -> None:
    replied = next(event for event in events if event.causation_id is not None)
    placed = next(event for event in events if event.causation_id is None)
    for event in (replied, placed):
        fields = event.copy_line().removesuffix("\n").split("\t")
        row = dict(zip(COLUMNS, fields, strict=True))
        envelope = Envelope.model_validate_json(row["envelope"])
        assert row["event_id"] == str(envelope.id) == event.id
        assert (row["type"], row["source"], row["subject"]) == (
            envelope.type,
            envelope.source,
            envelope.subject,
        )
        assert row["version"] == str(envelope.version)
        assert datetime.fromisoformat(row["occurred_at"]) == envelope.time
        assert datetime.fromisoformat(row["received_at"]) > envelope.time
        assert row["causation_id"] == (
            "\\N" if envelope.causation_id is None else str(envelope.causation_id)
        )
        assert row["traceparent"] == envelope.traceparent


def test_a_backslash_in_the_data_is_escaped_for_copy(events: list[LogEvent]) -> None:
    event = events[0]
    odd = LogEvent(**{**{f: getattr(event, f) for f in LogEvent.__slots__}, "data": {"a": "b\\c"}})
    column = odd.copy_line().removesuffix("\n").split("\t")[-1]
    assert json.loads(column.replace("\\\\", "\\"))["data"] == {"a": "b\\c"}


def test_times_are_written_as_pydantic_writes_them() -> None:
    assert iso(1_767_225_600_000_000) == "2026-01-01T00:00:00Z"
    assert iso(1_767_225_600_001_234) == "2026-01-01T00:00:00.001234Z"
