"""Which event caused the one being written, so a reader can put events in causal order.

The consumer sets the event it is handling as the current cause; every event
written to the outbox meanwhile carries its id as ``causation_id``. Clocks of
different services may disagree by milliseconds; causation links do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

_current_cause: ContextVar[UUID | None] = ContextVar("bazaar_current_cause", default=None)


def current_cause() -> UUID | None:
    return _current_cause.get()


@contextmanager
def caused_by(event_id: UUID) -> Iterator[None]:
    token = _current_cause.set(event_id)
    try:
        yield
    finally:
        _current_cause.reset(token)
