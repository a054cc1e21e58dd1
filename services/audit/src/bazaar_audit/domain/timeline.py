"""An order's events in causal order: each after the event whose handling wrote it.

Clocks of different services disagree by milliseconds, so a reply can carry
an earlier time than the command it answers. The causation links do not
lie: the timeline starts from clock order and moves each event after its
cause, changing nothing else.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from bazaar_audit.domain.model import RecordedEvent


def causal_order(events: Iterable[RecordedEvent]) -> list[RecordedEvent]:
    """The events by (time, id), then each moved after its cause where that is present.

    A stable topological sort (Kahn's, taking the earliest ready event by
    clock first): events the links say nothing about keep their clock order,
    and a cause that is not among the events is ignored. Causation links
    cannot form a cycle, since an event's id is made before any event it
    causes; should stored rows claim one anyway, the earliest waiting event
    is placed to break it, so no event is ever left out.
    """
    by_clock = sorted(events, key=lambda event: (event.time, event.id))
    index_of: dict[object, int] = {}
    for index, event in enumerate(by_clock):
        index_of.setdefault(event.id, index)
    effects: dict[int, list[int]] = {}
    waiting = [False] * len(by_clock)
    for index, event in enumerate(by_clock):
        cause = index_of.get(event.causation_id) if event.causation_id is not None else None
        if cause is not None and cause != index:
            effects.setdefault(cause, []).append(index)
            waiting[index] = True
    ready = [index for index, blocked in enumerate(waiting) if not blocked]  # sorted: a heap
    placed = [False] * len(by_clock)
    ordered: list[RecordedEvent] = []
    while len(ordered) < len(by_clock):
        if not ready:  # only a cycle gets here
            heapq.heappush(ready, next(i for i, done in enumerate(placed) if not done))
        index = heapq.heappop(ready)
        if placed[index]:
            continue
        placed[index] = True
        ordered.append(by_clock[index])
        for effect in effects.get(index, ()):
            if not placed[effect]:
                heapq.heappush(ready, effect)
    return ordered
