"""The causal order of a timeline: clock order, except that an effect follows its cause."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from bazaar_audit.domain.model import RecordedEvent
from bazaar_audit.domain.timeline import causal_order

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def event(number: int, at_ms: float, cause: int | None = None) -> RecordedEvent:
    """Event ``number`` (its id is UUID(int=number), so ties sort by number)."""
    return RecordedEvent(
        id=UUID(int=number),
        type=f"Event{number}",
        source="bazaar.test",
        subject="order-1",
        version=1,
        time=T0 + timedelta(milliseconds=at_ms),
        received_at=T0,
        causation_id=UUID(int=cause) if cause is not None else None,
        traceparent=None,
        data={},
    )


def numbers(events: list[RecordedEvent]) -> list[int]:
    return [item.id.int for item in events]


def test_without_links_the_order_is_the_clock_order():
    events = [event(3, 30), event(1, 10), event(2, 20)]
    assert numbers(causal_order(events)) == [1, 2, 3]


def test_an_effect_stamped_before_its_cause_moves_after_it():
    # Inventory's clock runs 5 ms behind orders': its reply looks older than the command.
    placed = event(1, 0)
    reserve = event(2, 10, cause=1)
    reserved = event(3, 6, cause=2)
    assert numbers(causal_order([reserved, reserve, placed])) == [1, 2, 3]


def test_only_what_the_links_require_moves():
    events = [
        event(1, 0),
        event(2, 10, cause=1),
        event(3, 5, cause=2),  # before its cause by the clock
        event(4, 7),  # unrelated: keeps its place among the clock order
        event(5, 20),
    ]
    # 3 must follow 2; everything else stays as the clock has it.
    assert numbers(causal_order(events)) == [1, 4, 2, 3, 5]


def test_a_moved_event_takes_its_own_effects_along():
    events = [event(1, 50), event(2, 0, cause=1), event(3, 1, cause=2), event(4, 30)]
    assert numbers(causal_order(events)) == [4, 1, 2, 3]


def test_ties_keep_id_order_whatever_the_input_order():
    events = [event(4, 10), event(2, 10), event(3, 10), event(1, 10)]
    for _ in range(5):
        random.Random(7).shuffle(events)
        assert numbers(causal_order(events)) == [1, 2, 3, 4]


def test_a_tie_with_its_cause_puts_the_cause_first():
    assert numbers(causal_order([event(1, 10, cause=2), event(2, 10)])) == [2, 1]


def test_a_cause_that_is_not_among_the_events_is_ignored():
    # The cause belongs to another subject, or was never delivered to audit.
    events = [event(2, 20, cause=99), event(1, 10), event(3, 5, cause=98)]
    assert numbers(causal_order(events)) == [3, 1, 2]


def test_an_event_naming_itself_as_cause_is_kept_in_place():
    assert numbers(causal_order([event(2, 20), event(1, 10, cause=1)])) == [1, 2]


def test_a_cycle_cannot_hide_events():
    # Impossible from real publishers; a corrupt row must still not drop events.
    events = [event(1, 10, cause=2), event(2, 20, cause=1), event(3, 30, cause=2), event(4, 0)]
    ordered = causal_order(events)
    assert sorted(numbers(ordered)) == [1, 2, 3, 4]
    assert numbers(ordered)[0] == 4
    assert numbers(ordered).index(3) > numbers(ordered).index(2)


def test_nothing_is_nothing():
    assert causal_order([]) == []


@pytest.mark.parametrize("seed", range(20))
def test_random_causal_forests_come_out_causal_and_complete(seed):
    rng = random.Random(seed)
    count = rng.randint(1, 40)
    events = []
    for number in range(1, count + 1):
        cause = rng.choice([None, rng.randint(1, count + 5)])  # some point nowhere
        events.append(event(number, rng.choice([0, 1, 2, 3]), cause=cause))
    # Links that would close a cycle are dropped: real ones only point backwards.
    events = [item if _acyclic(item, events) else _unlinked(item) for item in events]
    ordered = causal_order(rng.sample(events, len(events)))

    assert sorted(numbers(ordered)) == list(range(1, count + 1))
    position = {item.id: index for index, item in enumerate(ordered)}
    for item in ordered:
        if item.causation_id in position and item.causation_id != item.id:
            assert position[item.causation_id] < position[item.id]


def _acyclic(item: RecordedEvent, events: list[RecordedEvent]) -> bool:
    by_id = {other.id: other for other in events}
    seen = {item.id}
    current = item
    while current.causation_id in by_id:
        current = by_id[current.causation_id]
        if current.id in seen:
            return False
        seen.add(current.id)
    return True


def _unlinked(item: RecordedEvent) -> RecordedEvent:
    return RecordedEvent(**{**_fields(item), "causation_id": None})


def _fields(item: RecordedEvent) -> dict:
    return {name: getattr(item, name) for name in RecordedEvent.__dataclass_fields__}
