"""Where an event lies: its UTC day and its type, one object per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from bazaar_common.archive import layout

FIRST = UUID("0193a0c4-0000-7000-8000-000000000001")


def test_a_batch_key_names_its_day_its_type_and_its_first_event():
    key = layout.batch_key(datetime(2026, 12, 6).date(), "OrderPlaced", FIRST)

    assert key == f"events/date=2026-12-06/type=OrderPlaced/{FIRST}.jsonl.gz"
    assert layout.is_batch_key(key)


def test_the_day_is_the_utc_date_of_the_events_time():
    late_in_berlin = datetime(2026, 12, 7, 0, 30, tzinfo=timezone(timedelta(hours=1)))

    assert layout.day_of(late_in_berlin).isoformat() == "2026-12-06"


def test_other_objects_in_the_bucket_are_not_batches():
    assert not layout.is_batch_key("events/date=2026-12-06/type=OrderPlaced/notes.txt")
    assert not layout.is_batch_key("exports/date=2026-12-06/type=OrderPlaced/x.jsonl.gz")
    assert not layout.is_batch_key(f"events/date=2026-12-06/type=order-placed/{FIRST}.jsonl.gz")


def test_a_window_covers_the_days_its_events_can_lie_in():
    since = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)

    assert [day.isoformat() for day in layout.days_between(since, since + timedelta(hours=1))] == [
        "2026-12-06"
    ]
    assert [day.isoformat() for day in layout.days_between(since, since + timedelta(hours=2))] == [
        "2026-12-06",
        "2026-12-07",
    ]
