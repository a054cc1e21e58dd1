"""The history model: one record per request or per event, owned by a customer.

Pure Python, no I/O. A new record records ``HistoryCreated``; the unit of
work writes it to the outbox in the transaction that saves the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from bazaar_contracts.history import HistoryCreated, HistoryEvent


@dataclass(frozen=True, slots=True)
class Origin:
    """The event a record was made from: each event makes at most one record."""

    event_id: UUID
    subject: str


@dataclass(slots=True)
class History:
    id: UUID
    customer_id: str | None
    """The owner, who may read it; None when its event named no customer (admins only)."""
    created_at: datetime
    origin: Origin | None = None
    events: list[HistoryEvent] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(
        cls,
        record_id: UUID,
        *,
        customer_id: str | None,
        now: datetime,
        origin: Origin | None = None,
    ) -> History:
        record = cls(id=record_id, customer_id=customer_id, created_at=now, origin=origin)
        record.events.append(HistoryCreated(history_id=record_id, customer_id=customer_id))
        return record

    def visible_to(self, customer_id: str | None) -> bool:
        """Whether ``customer_id`` may read it (None: an admin, who reads all)."""
        return visible_to(self.customer_id, customer_id)

    def pull_events(self) -> list[HistoryEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled


def visible_to(owner_id: str | None, customer_id: str | None) -> bool:
    """Whether ``customer_id`` may read a record of ``owner_id`` (None: an admin, who reads all).

    Also for the hot read, which has the record's row, not a ``History``.
    """
    return customer_id is None or owner_id == customer_id
