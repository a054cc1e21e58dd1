"""Where an event lies in the archive: one folder per day and type, one object per batch.

Hive-style partition names (``date=…/type=…``) so Athena, Glue, DuckDB and
Spark read the partitions from the keys alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

PREFIX = "events/"
SUFFIX = ".jsonl.gz"
_KEY = re.compile(
    r"^events/date=(?P<day>\d{4}-\d{2}-\d{2})/type=(?P<type>[A-Z][A-Za-z0-9]{1,63})/"
    r"(?P<first>[0-9a-f-]{36})\.jsonl\.gz$"
)


def day_of(moment: datetime) -> date:
    """The partition day of an event: the UTC date of its time."""
    return moment.astimezone(UTC).date()


def day_prefix(day: date) -> str:
    return f"{PREFIX}date={day.isoformat()}/"


def partition_prefix(day: date, event_type: str) -> str:
    return f"{day_prefix(day)}type={event_type}/"


def batch_key(day: date, event_type: str, first_event_id: UUID) -> str:
    """A batch's key: its partition and its first event's id, which no other batch holds."""
    return f"{partition_prefix(day, event_type)}{first_event_id}{SUFFIX}"


def is_batch_key(key: str) -> bool:
    return _KEY.match(key) is not None


def days_between(since: datetime, until: datetime) -> Iterator[date]:
    """Every partition day an event timed in [since, until) can lie in."""
    day, last = day_of(since), day_of(until - timedelta(microseconds=1))
    while day <= last:
        yield day
        day += timedelta(days=1)
