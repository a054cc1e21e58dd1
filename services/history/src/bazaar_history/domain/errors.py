"""What can go wrong with history records, each with its status."""

from __future__ import annotations

from uuid import UUID

from bazaar_common.errors import NotFound


class HistoryNotFound(NotFound):
    """Also what a caller gets for another customer's record: the two look the same."""

    code = "history-not-found"
    title = "History record not found"

    def __init__(self, record_id: UUID) -> None:
        super().__init__(f"No history record with id {record_id}.", record_id=str(record_id))
