"""What can go wrong when reading the audit trail, each with its status."""

from __future__ import annotations

from datetime import datetime

from bazaar_common.errors import InvalidInput, NotFound


class InvalidTimeRange(InvalidInput):
    code = "invalid-time-range"
    title = "Invalid time range"

    def __init__(self, since: datetime, until: datetime) -> None:
        super().__init__(
            f"since ({since.isoformat()}) is after until ({until.isoformat()}).",
            since=since.isoformat(),
            until=until.isoformat(),
        )


class TimelineNotFound(NotFound):
    code = "timeline-not-found"
    title = "Timeline not found"

    def __init__(self, order_id: object) -> None:
        super().__init__(f"No events recorded for order {order_id}.", order_id=str(order_id))
